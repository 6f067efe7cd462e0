package io.baystack.function;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.api.BaystackException;
import io.baystack.api.Validation;

/**
 * A CloudEvent (spec 1.0) as it arrives over HTTP: in binary mode (attributes in {@code ce-*}
 * headers, the data is the body) or in structured mode ({@code application/cloudevents+json}, the
 * whole event is the body). Only what baystack's functions read is kept.
 */
public record CloudEvent(String id, String source, String type, String subject, JsonNode data) {

    public static final String STRUCTURED = "application/cloudevents+json";

    /** Reads the event; 400 in Magnum's error body when it is not a CloudEvent 1.0. */
    public static CloudEvent read(Map<String, String> headers, String contentType, String body, ObjectMapper json) {
        boolean structured = contentType != null && contentType.toLowerCase().startsWith(STRUCTURED);
        JsonNode parsed = parse(body, json);
        if (structured) {
            if (parsed == null || !parsed.isObject()) {
                throw BaystackException.invalid("A structured CloudEvent must be a JSON object.");
            }
            return of(text(parsed, "specversion"), text(parsed, "id"), text(parsed, "source"), text(parsed, "type"),
                    text(parsed, "subject"), parsed.get("data"));
        }
        return of(headers.get("ce-specversion"), headers.get("ce-id"), headers.get("ce-source"), headers.get("ce-type"),
                headers.get("ce-subject"), parsed);
    }

    private static CloudEvent of(String specversion, String id, String source, String type, String subject, JsonNode data) {
        if (specversion == null) {
            throw BaystackException.invalid("Not a CloudEvent: no specversion (ce-specversion header, or a "
                    + STRUCTURED + " body).");
        }
        if (!"1.0".equals(specversion)) {
            throw BaystackException.invalid("CloudEvents specversion '" + Validation.printable(specversion)
                    + "' is not supported: 1.0 is.");
        }
        for (String[] attribute : new String[][] { { "id", id }, { "source", source }, { "type", type } }) {
            if (attribute[1] == null || attribute[1].isBlank()) {
                throw BaystackException.invalid("The CloudEvent has no " + attribute[0] + ".");
            }
        }
        return new CloudEvent(id, source, type, subject, data);
    }

    private static JsonNode parse(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (Exception e) {
            throw BaystackException.invalid("The CloudEvent's body is not JSON.");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
