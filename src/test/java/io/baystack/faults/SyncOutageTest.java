package io.baystack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.HeatFaultProxy;
import io.baystack.support.HeatFaultProxy.Fault;
import io.baystack.support.Metrics;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Heat failing the status sync's list call fails that batch, not the rest: notifications are still
 * sent and the gauges still counted while every list Heat is asked for answers 500.
 */
@QuarkusTest
@TestProfile(HeatFaultProxy.Profile.class)
class SyncOutageTest {

    private static final String LIST = "/v1/-/stacks";

    @Inject
    Rows rows;

    @AfterEach
    void clean() {
        HeatFaultProxy.get().reset();
    }

    @Test
    void withHeatsListFailingNotificationsAreSentAndGaugesCountedAllTheSame() {
        HeatFaultProxy.get().inject("GET", LIST, 1_000_000, Fault.ERROR_500);
        String model = Api.createBaymodel(Api.unique("outage"), "debian-12");
        // a bay the sync must ask Heat about: in progress, with a stack
        String uuid = UUID.randomUUID().toString();
        rows.execute("insert into bay (uuid, name, project_id, user_id, baymodel_id, node_count, master_count,"
                + " create_timeout, stack_name, stack_id, status, created_at, updated_at) values ($1, 'outage', 'p', 'u',"
                + " $2, 1, 1, 60, $3, $4, 'CREATE_IN_PROGRESS', now(), now())", uuid, model, "outage-" + uuid,
                UUID.randomUUID().toString());
        Instant start = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> HeatFaultProxy.get().seen("GET", LIST).stream().anyMatch(s -> s.at().isAfter(start)));

        // a notification stored now is sent while the list keeps failing
        String event = UUID.randomUUID().toString();
        rows.execute("insert into bay_notification (event_id, type, bay_uuid, data, created_at)"
                + " values ($1, 'io.baystack.bay.create.start', $2, '{}', now())", event, uuid);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> rows.execute("select 1 from bay_notification where event_id = $1 and sent_at is not null",
                        event) == 1);

        // and the gauges follow the table: this bay alone is given a status no other bay has
        String gauge = "baystack_bays{status=\"ADOPT_COMPLETE\"}";
        rows.execute("update bay set status = 'ADOPT_COMPLETE' where uuid = $1", uuid);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> Metrics.value(Metrics.scrape(), gauge), v -> v != null && v == 1.0);
        rows.execute("delete from bay where uuid = $1", uuid);

        assertThat(HeatFaultProxy.get().seen("GET", LIST).stream().filter(s -> s.at().isAfter(start))
                .allMatch(s -> s.outcome().startsWith("500"))).as("every list call failed meanwhile").isTrue();
    }
}
