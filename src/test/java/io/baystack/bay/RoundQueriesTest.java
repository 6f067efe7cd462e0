package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.query.spi.QueryInterpretationCache;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import io.baystack.db.NativeSelects;
import io.baystack.runtime.FreshContext;
import io.baystack.support.FastTier;
import io.quarkus.arc.ClientProxy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What every periodic round asks PostgreSQL, held to three promises: an index serves each query (asked
 * with sequential scans disabled, a query no index can serve still plans a "Seq Scan"); the status
 * sync's batches move on, so every bay in progress is looked at within a bounded number of rounds
 * however many there are; and running a statement again adds nothing to Hibernate's plan cache (see
 * NativeSelects: each run of a native select used to add an entry until the cache was full).
 */
@QuarkusTest
@FastTier
class RoundQueriesTest {

    @Inject
    Pool pool;
    @Inject
    BayRepository bays;
    @Inject
    FreshContext fresh;
    @Inject
    Mutiny.SessionFactory sessionFactory;

    @Test
    void theRoundsQueriesAndThePagedListAreServedByIndexes() {
        for (String sql : List.of(
                sample(BayRepository.AWAITING_HEAT),
                sample(BayRepository.IN_PROGRESS),
                sample(BayRepository.ENDED_WITHOUT_LAST_LOOK),
                sample(NotificationOutbox.PURGE),
                "select * from bay where project_id = 'p' and id > 100 order by id limit 100")) {
            String plan = explain(sql);
            assertThat(plan).as("plan of %s", sql).doesNotContain("Seq Scan on bay ").doesNotContain("Seq Scan on bay\n")
                    .doesNotContain("Seq Scan on bay_notification");
        }
    }

    @Test
    void everyBayInProgressIsLookedAtWithinCeilOfBaysOverBatchRounds() {
        String model = UUID.randomUUID().toString();
        sql("insert into baymodel (uuid, name, project_id, user_id, coe, image_id, created_at)"
                + " values ($1, 'rounds-test', 'p', 'u', 'kubernetes', 'img', now())", model);
        Set<Long> mine = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            String uuid = UUID.randomUUID().toString();
            mine.add(pool.preparedQuery("insert into bay (uuid, name, project_id, user_id, baymodel_id, node_count,"
                    + " master_count, create_timeout, stack_name, stack_id, status, created_at, updated_at)"
                    + " values ($1, 'r', 'p', 'u', $2, 1, 1, 60, $3, $4, 'CREATE_IN_PROGRESS', now(), now()) returning id")
                    .execute(Tuple.of(uuid, model, "r-" + uuid, UUID.randomUUID().toString()))
                    .await().indefinitely().iterator().next().getLong(0));
        }
        long inProgress = pool.query("select count(*) from bay where stack_id is not null and pending_op is null"
                + " and status like '%_IN_PROGRESS'").execute().await().indefinitely().iterator().next().getLong(0);
        int batch = 10;
        long rounds = (inProgress + batch - 1) / batch;
        Set<Long> seen = new HashSet<>();
        for (int round = 0; round < rounds; round++) {
            // a round as the status sync makes it: the batch, then marked as looked at
            List<Long> ids = fresh.run(() -> Panache.withSession(() -> bays.inProgressWithStack(batch)))
                    .await().atMost(Duration.ofSeconds(30)).stream().map(b -> b.bay().id).toList();
            assertThat(ids).hasSize(batch);
            fresh.run(() -> bays.markSynced(ids)).await().atMost(Duration.ofSeconds(30));
            seen.addAll(ids);
        }
        assertThat(seen).as("after %d rounds of %d, with %d bays in progress", rounds, batch, inProgress).containsAll(mine);
    }

    @Test
    void runningTheCreatesAndTheRoundsStatementsAgainAddsNothingToTheQueryPlanCache() throws Exception {
        String model = UUID.randomUUID().toString();
        sql("insert into baymodel (uuid, name, project_id, user_id, coe, image_id, created_at)"
                + " values ($1, 'plan-cache-test', 'p', 'u', 'kubernetes', 'img', now())", model);
        QueryInterpretationCache cache = planCache();
        // each once first: what is planned once may be cached once
        int runs = 40;
        int before = -1;
        for (int i = 0; i <= runs; i++) {
            Bay bay = new Bay();
            bay.uuid = UUID.randomUUID().toString();
            bay.name = "plan-cache";
            bay.projectId = "plan-cache-" + model;
            bay.userId = "u";
            bay.baymodelId = model;
            bay.nodeCount = 1;
            bay.masterCount = 1;
            bay.createTimeout = 60;
            bay.createdAt = Instant.now();
            bay.stackName = "plan-cache-" + bay.uuid;
            // failed already: no round takes it up
            bay.status = BayStatus.CREATE_FAILED;
            fresh.run(() -> Panache.withTransaction(() -> bays.accept(bay))).await().atMost(Duration.ofSeconds(30));
            fresh.run(() -> Panache.withSession(() -> bays.awaitingHeat(Duration.ofHours(1), 5)))
                    .await().atMost(Duration.ofSeconds(30));
            fresh.run(() -> Panache.withSession(() -> bays.inProgressWithStack(5))).await().atMost(Duration.ofSeconds(30));
            if (i == 0) {
                before = cache.getNumberOfCachedQueryPlans();
            }
        }
        int after = cache.getNumberOfCachedQueryPlans();
        // other tests' statements may be planned meanwhile, a few; a full cache (2 048) means it grew without bound
        assertThat(after - before).as("plans cached by %d more runs of three statements", runs).isLessThan(runs / 4);
        assertThat(after).as("plans cached in all").isLessThan(1000);
    }

    /** The query plan cache of Hibernate under the reactive session factory (no public way to it). */
    private QueryInterpretationCache planCache() throws ReflectiveOperationException {
        Object factory = ClientProxy.unwrap(sessionFactory);
        Field delegate = factory.getClass().getDeclaredField("delegate");
        delegate.setAccessible(true);
        return ((SessionFactoryImplementor) delegate.get(factory)).getQueryEngine().getInterpretationCache();
    }

    /** The statement with sample values for its parameters. */
    private static String sample(String sql) {
        return sql.replace(":limit", "50").replace(":after", "5").replace(":window", "3600")
                .replace(":running", "'CREATE_IN_PROGRESS'").replace(":heat", "'heat'").replace(":stack", "'stack'")
                .replace(":before", "now()").replace(":" + NativeSelects.PARAM, "0");
    }

    private String explain(String sql) {
        return pool.withConnection((SqlConnection c) -> c.query("set enable_seqscan = off").execute()
                .chain(() -> c.query("explain " + sql).execute())
                .eventually(() -> c.query("reset enable_seqscan").execute()))
                .map(rows -> {
                    StringBuilder plan = new StringBuilder();
                    rows.forEach(r -> plan.append(r.getString(0)).append('\n'));
                    return plan.toString();
                }).await().indefinitely();
    }

    private void sql(String statement, Object... args) {
        pool.preparedQuery(statement).execute(Tuple.from(args)).await().indefinitely();
    }
}
