package io.baystack.activity;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.Timestamps;
import io.baystack.bay.BayEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One event of a bay as {@code GET /v1/bays/{ident}/events} (and its watch stream) shows it.
 * {@code source} is {@code baystack} (kinds accepted, handed_to_heat, waiting_for_heat, status) or
 * {@code heat} (kinds stack and resource, with the resource's and its nested stack's names).
 */
@RegisterForReflection
public record EventView(
        String uuid,
        String source,
        String kind,
        String time,
        String status,
        @JsonProperty("status_reason") String statusReason,
        @JsonProperty("resource_name") String resourceName,
        @JsonProperty("stack_name") String stackName) {

    public static EventView of(BayEvent e) {
        return new EventView(e.uuid, e.source, e.kind, Timestamps.format(e.time), e.status, e.reason, e.resourceName,
                e.stackName);
    }
}
