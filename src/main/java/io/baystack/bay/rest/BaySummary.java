package io.baystack.bay.rest;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.ResponseLinks;
import io.baystack.bay.BayListing;

/** A bay in {@code GET /v1/bays}: Magnum's summary fields only. */
public record BaySummary(
        String uuid,
        String name,
        @JsonProperty("baymodel_id") String baymodelId,
        @JsonProperty("docker_volume_size") Integer dockerVolumeSize,
        Map<String, String> labels,
        @JsonProperty("master_flavor_id") String masterFlavorId,
        @JsonProperty("flavor_id") String flavorId,
        @JsonProperty("node_count") int nodeCount,
        String status,
        @JsonProperty("bay_create_timeout") int bayCreateTimeout,
        @JsonProperty("master_count") int masterCount,
        @JsonProperty("stack_id") String stackId,
        List<ResponseLinks.Link> links) {

    public static BaySummary of(BayListing b, String base) {
        return new BaySummary(b.uuid(), b.name(), b.baymodelId(), b.dockerVolumeSize(), b.labels(), b.masterFlavorId(),
                b.flavorId(), b.nodeCount() + b.groupNodes(), b.status().name(), b.createTimeout(), b.masterCount(), b.stackId(),
                ResponseLinks.of(base, "bays", b.uuid()));
    }
}
