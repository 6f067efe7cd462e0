package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.FastTier;
import io.baystack.support.LocalCloud;
import io.baystack.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Rules of accepting bay operations, through the API with the real Keystone and PostgreSQL, no Heat
 * (fast tier: nothing is handed over, no round runs, so what the API stored stays as it stored it).
 */
@QuarkusTest
@FastTier
class BayRulesTest {

    @Inject
    Pool pool;

    @Test
    void aRepeatedDeleteIsIdempotentNoBackoffResetNoSecondEventOrNotification() {
        String model = Api.createBaymodel(Api.unique("rules"), "debian-12");
        String uuid = Api.createBay(Api.unique("rules"), model, 1);
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        // the delete's first tries failed: a backoff is running
        sql("update bay set heat_attempts = 3, retry_at = clock_timestamp() + interval '1 hour' where uuid = $1", uuid);
        Map<String, Object> before = row(uuid);

        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);

        Map<String, Object> after = row(uuid);
        assertThat(after.get("heat_attempts")).isEqualTo(3);
        assertThat(after.get("retry_at")).isEqualTo(before.get("retry_at"));
        assertThat(after.get("version")).isEqualTo(before.get("version"));
        assertThat(strings("select e.kind from bay_event e join bay b on b.id = e.bay_id where b.uuid = $1 order by e.id", uuid))
                .containsExactly(BayEvent.ACCEPTED, BayEvent.ACCEPTED);
        assertThat(strings("select type from bay_notification where bay_uuid = $1 order by id", uuid))
                .containsExactly("io.baystack.bay.create.start", "io.baystack.bay.delete.start");
    }

    @Test
    void aModelDeletedBetweenItsLookUpAndTheBaysInsertIsA400AndNoTrustIsMade() {
        // as the alt user
        String model = Api.as(LocalCloud.ALT).body(Api.baymodel(Api.unique("race"), "debian-12")).post("/v1/baymodels")
                .then().statusCode(201).extract().path("uuid");
        String before = Metrics.scrape();
        // the race, staged: the model goes in the very moment the bay is stored
        sql("create or replace function baystack_test_race() returns trigger as $$ begin"
                + " delete from baymodel where uuid = new.baymodel_id; return new; end $$ language plpgsql");
        sql("create trigger baystack_test_race before insert on bay for each row execute function baystack_test_race()");
        try {
            Api.as(LocalCloud.ALT).body(Map.of("name", Api.unique("race"), "baymodel_id", model, "node_count", 1))
                    .post("/v1/bays").then().statusCode(400)
                    .body("errors[0].detail", containsString("was deleted meanwhile"));
        } finally {
            sql("drop trigger baystack_test_race on bay");
            sql("drop function baystack_test_race()");
        }
        // (the staged delete rolls back with the failed insert; in the real race another transaction committed it)
        assertThat(strings("select uuid from bay where baymodel_id = $1", model)).as("no bay stored").isEmpty();
        // baystack's own count of its Keystone calls (this JVM runs one test at a time): a request makes no
        // trust (the Heat function makes it for a stored bay), so a refused one leaves none behind
        String after = Metrics.scrape();
        assertThat(grown(before, after, "baystack_keystone_calls_total{call=\"create_trust\",outcome=\"success\"}"))
                .isZero();
    }

    private static double grown(String before, String after, String sample) {
        Double b = Metrics.value(before, sample);
        Double a = Metrics.value(after, sample);
        return (a == null ? 0 : a) - (b == null ? 0 : b);
    }

    private Map<String, Object> row(String uuid) {
        var r = pool.preparedQuery("select heat_attempts, retry_at, version from bay where uuid = $1")
                .execute(Tuple.of(uuid)).await().indefinitely().iterator().next();
        return Map.of("heat_attempts", r.getInteger(0), "retry_at", r.getValue(1), "version", r.getInteger(2));
    }

    private List<String> strings(String query, Object... args) {
        List<String> out = new java.util.ArrayList<>();
        pool.preparedQuery(query).execute(Tuple.from(args)).await().indefinitely().forEach(r -> out.add(r.getString(0)));
        return out;
    }

    private void sql(String statement, Object... args) {
        pool.preparedQuery(statement).execute(Tuple.from(args)).await().indefinitely();
    }
}
