package io.baystack.conductor;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.api.Idents;

/**
 * What the API tells the Heat function: which bay, which operation (create, update, delete), the
 * id of the request that caused it, for logs, and the W3C trace context the work continues. The bay's row, not the message, says what
 * is to be done: the operation is for readers and routing only.
 */
public record HandOff(String bayUuid, String operation, String requestId, String traceparent) {

    /** A hand-off that continues the current trace (see BayHandOff#publish). */
    public HandOff(String bayUuid, String operation, String requestId) {
        this(bayUuid, operation, requestId, null);
    }

    public HandOff withTraceparent(String value) {
        return new HandOff(bayUuid, operation, requestId, value);
    }

    public static final String CREATE = io.baystack.bay.HandOffs.CREATE;
    public static final String UPDATE = io.baystack.bay.HandOffs.UPDATE;
    public static final String DELETE = io.baystack.bay.HandOffs.DELETE;

    /** The message body: {@code {"bay_uuid": …, "operation": …, "request_id": …, "traceparent": …}}. */
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bay_uuid", bayUuid);
        data.put("operation", operation);
        if (requestId != null) {
            data.put("request_id", requestId);
        }
        if (traceparent != null) {
            data.put("traceparent", traceparent);
        }
        return data;
    }

    public String toJson(ObjectMapper json) {
        try {
            return json.writeValueAsString(data());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a message body; a bare uuid (what earlier versions sent) is a hand-off of unknown operation. */
    public static HandOff parse(String body, ObjectMapper json) {
        String text = body == null ? "" : body.trim();
        if (Idents.isUuid(text)) {
            return new HandOff(text, null, null);
        }
        try {
            return of(json.readTree(text));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("a hand-off is JSON naming a bay: " + e.getMessage());
        }
    }

    /** From the data of a message or CloudEvent; IllegalArgumentException when it names no bay. */
    public static HandOff of(JsonNode data) {
        JsonNode uuid = data == null ? null : data.get("bay_uuid");
        if (uuid == null || !uuid.isTextual() || !Idents.isUuid(uuid.asText())) {
            throw new IllegalArgumentException("the data must name a bay: {\"bay_uuid\": \"<uuid>\"}");
        }
        return new HandOff(uuid.asText(), text(data, "operation"), text(data, "request_id"), text(data, "traceparent"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
