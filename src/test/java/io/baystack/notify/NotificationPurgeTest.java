package io.baystack.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The outbox keeps a sent notification for {@code baystack.reconciler.notifications-kept} (24 h), then a
 * reconciler round deletes it; what is not sent yet, or was sent lately, stays. A notification another
 * round holds is left to it until its claim runs out.
 */
@QuarkusTest
class NotificationPurgeTest {

    @Inject
    Rows rows;

    @Test
    void aRoundDeletesWhatWasSentLongAgoAndKeepsTheRest() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String old = stage(now.minusDays(3), now.minusHours(25));
        String recent = stage(now.minusDays(3), now.minusHours(23));
        String unsent = stage(now.minusDays(3), null);

        // the timer's rounds (every second in tests) send the unsent one and delete the old one
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> count(old) == 0 && sent(unsent));
        assertThat(count(recent)).as("sent 23 hours ago: kept").isEqualTo(1);
        assertThat(count(unsent)).as("sent just now: kept").isEqualTo(1);
    }

    @Test
    void oneHeldByAnotherRoundWaitsForItsClaimToRunOutAndDoesNotHoldUpTheOthers() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String held = stage(now.minusMinutes(1), null);
        String behind = stage(now.minusMinutes(1), null);
        // as if another round took it (or its send failed) a moment ago
        rows.execute("update bay_notification set claimed_until = $1 where event_id = $2", now.plusMinutes(10), held);

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> sent(behind));
        assertThat(sent(held)).as("claimed by another round: not sent again").isFalse();

        // that round died: once its claim has run out, a round sends it
        rows.execute("update bay_notification set claimed_until = $1 where event_id = $2", now.minusSeconds(1), held);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> sent(held));
    }

    private String stage(OffsetDateTime created, OffsetDateTime sent) {
        String event = UUID.randomUUID().toString();
        rows.execute("insert into bay_notification (event_id, type, bay_uuid, data, created_at, sent_at)"
                + " values ($1, 'io.baystack.bay.create.end', $2, '{}', $3, $4)", event, UUID.randomUUID().toString(),
                created, sent);
        return event;
    }

    private long count(String event) {
        return rows.execute("select 1 from bay_notification where event_id = $1", event);
    }

    private boolean sent(String event) {
        return rows.execute("select 1 from bay_notification where event_id = $1 and sent_at is not null", event) == 1;
    }
}
