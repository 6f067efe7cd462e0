package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.baystack.runtime.FreshContext;
import io.baystack.support.FastTier;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What every periodic round asks PostgreSQL, held to two promises: an index serves each query (asked
 * with sequential scans disabled, a query no index can serve still plans a "Seq Scan"), and the
 * status sync's batches move on, so every bay in progress is looked at within a bounded number of
 * rounds however many there are.
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

    /** The statement with sample values for its parameters. */
    private static String sample(String sql) {
        return sql.replace(":limit", "50").replace(":after", "5").replace(":window", "3600")
                .replace(":running", "'CREATE_IN_PROGRESS'").replace(":heat", "'heat'").replace(":stack", "'stack'")
                .replace(":before", "now()");
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
