package io.baystack.db;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.baystack.config.BaystackConfig;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * Builds the reactive PostgreSQL pool as Quarkus configures it, plus the bounds Quarkus has no
 * properties for ({@link BaystackConfig.Database}): Vert.x would otherwise wait 60 s for a TCP connect
 * and 30 s for a pooled connection, with no bound on how many wait.
 */
@Singleton
public class DatabasePoolCreator implements PgPoolCreator {

    private final BaystackConfig.Database config;

    DatabasePoolCreator(BaystackConfig config) {
        this.config = config.database();
    }

    @Override
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions()
                .setConnectionTimeout((int) config.acquireTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(config.maxWaitQueue());
        List<SqlConnectOptions> servers = new ArrayList<>();
        input.pgConnectOptionsList().forEach(server -> servers.add(
                server.setConnectTimeout((int) config.connectTimeout().toMillis())));
        return PgBuilder.pool().with(pool).connectingTo(servers).using(input.vertx()).build();
    }
}
