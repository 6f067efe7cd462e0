package io.baystack.conductor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.baystack.support.FastTier;
import io.baystack.support.OsloNotifications;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Which stack an oslo.messaging notification from Heat names, whatever form the broker hands it in. */
@FastTier
class HeatNotificationsTest {

    @Test
    void aStackNotificationNamesItsStackInEveryForm() {
        String body = OsloNotifications.envelope("orchestration.stack.create.end", "0f6c3a61-2c51-4bd4-a1b4-5b5f3d1fd6a0");
        assertThat(HeatNotifications.stackOf(new JsonObject(body))).contains("0f6c3a61-2c51-4bd4-a1b4-5b5f3d1fd6a0");
        assertThat(HeatNotifications.stackOf(body)).contains("0f6c3a61-2c51-4bd4-a1b4-5b5f3d1fd6a0");
        assertThat(HeatNotifications.stackOf(body.getBytes(StandardCharsets.UTF_8))).isPresent();
        assertThat(HeatNotifications.stackOf(Buffer.buffer(body))).isPresent();
        // the bare message, without the oslo envelope
        JsonObject bare = new JsonObject(new JsonObject(body).getString("oslo.message"));
        assertThat(HeatNotifications.stackOf(bare)).contains("0f6c3a61-2c51-4bd4-a1b4-5b5f3d1fd6a0");
        assertThat(HeatNotifications.stackOf(OsloNotifications.envelope("orchestration.stack.delete.error", "x"))).contains("x");
        // and its name, by which a bay that has not stored its stack's id yet is found
        assertThat(HeatNotifications.stackNameOf(body)).isEqualTo("s");
        assertThat(HeatNotifications.stackNameOf("not json")).isNull();
        assertThat(HeatNotifications.stateOf(body)).isEqualTo("CREATE_COMPLETE");
        assertThat(HeatNotifications.stateOf("not json")).isNull();
    }

    @Test
    void whenItWasSentIsReadFromOslosTimestamp() {
        String body = "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"timestamp\\\": \\\"2026-12-06 01:18:47.484512\\\","
                + " \\\"event_type\\\": \\\"orchestration.stack.create.end\\\"}\"}";
        assertThat(HeatNotifications.sentAt(body)).isEqualTo(java.time.Instant.parse("2026-12-06T01:18:47.484512Z"));
        assertThat(HeatNotifications.sentAt("{\"timestamp\": \"2026-12-06 01:18:47\"}"))
                .isEqualTo(java.time.Instant.parse("2026-12-06T01:18:47Z"));
        assertThat(HeatNotifications.sentAt("{\"timestamp\": \"yesterday\"}")).isNull();
        assertThat(HeatNotifications.sentAt(OsloNotifications.envelope("orchestration.stack.create.end", "x"))).isNull();
    }

    @Test
    void anythingElseNamesNoStack() {
        assertThat(HeatNotifications.stackOf(OsloNotifications.envelope("orchestration.autoscaling.start", "x"))).isEmpty();
        assertThat(HeatNotifications.stackOf(OsloNotifications.envelope("compute.instance.create.end", "x"))).isEmpty();
        assertThat(HeatNotifications.stackOf(OsloNotifications.envelope("orchestration.stack.create.end", ""))).isEmpty();
        assertThat(HeatNotifications.stackOf("not json")).isEmpty();
        assertThat(HeatNotifications.stackOf("{\"oslo.message\": \"[1]\"}")).isEmpty();
        assertThat(HeatNotifications.stackOf("{\"event_type\": \"orchestration.stack.create.end\", \"payload\": 3}")).isEmpty();
        assertThat(HeatNotifications.stackOf(null)).isEmpty();
        assertThat(HeatNotifications.stackOf(42)).isEmpty();
    }
}
