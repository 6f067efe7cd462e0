package io.baystack.support;

import io.vertx.core.json.JsonObject;

/** Heat's stack notifications as oslo.messaging (messagingv2) puts them on the wire, for tests to send. */
public final class OsloNotifications {

    private OsloNotifications() {
    }

    /** The envelope {@code {"oslo.version": "2.0", "oslo.message": "<JSON>"}} of one stack notification. */
    public static String envelope(String eventType, String stackId) {
        JsonObject message = new JsonObject().put("message_id", "m1").put("publisher_id", "orchestration.host")
                .put("event_type", eventType).put("priority", "INFO")
                .put("payload", new JsonObject().put("stack_identity", stackId).put("stack_name", "s").put("state",
                        "CREATE_COMPLETE"));
        return new JsonObject().put("oslo.version", "2.0").put("oslo.message", message.encode()).encode();
    }
}
