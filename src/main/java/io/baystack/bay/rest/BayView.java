package io.baystack.bay.rest;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.bay.Progress;

import io.baystack.api.ResponseLinks;
import io.baystack.api.Timestamps;
import io.baystack.bay.Bay;

/** A bay in full, as {@code GET /v1/bays/{ident}} and {@code /v1/bays/detail} show it. */
public record BayView(
        String uuid,
        String name,
        @JsonProperty("baymodel_id") String baymodelId,
        @JsonProperty("node_count") int nodeCount,
        @JsonProperty("master_count") int masterCount,
        @JsonProperty("discovery_url") String discoveryUrl,
        @JsonProperty("bay_create_timeout") int bayCreateTimeout,
        @JsonProperty("docker_volume_size") Integer dockerVolumeSize,
        Map<String, String> labels,
        @JsonProperty("flavor_id") String flavorId,
        @JsonProperty("master_flavor_id") String masterFlavorId,
        @JsonProperty("fixed_network") String fixedNetwork,
        @JsonProperty("fixed_subnet") String fixedSubnet,
        @JsonProperty("floating_ip_enabled") boolean floatingIpEnabled,
        @JsonProperty("master_lb_enabled") boolean masterLbEnabled,
        @JsonProperty("stack_id") String stackId,
        String status,
        @JsonProperty("status_reason") String statusReason,
        @JsonProperty("api_address") String apiAddress,
        @JsonProperty("master_addresses") List<String> masterAddresses,
        @JsonProperty("node_addresses") List<String> nodeAddresses,
        // Zed's Bay names it bay_faults (a cluster's is faults): each failed Heat resource with its reason
        @JsonProperty("bay_faults") Map<String, String> faults,
        List<ResponseLinks.Link> links,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        /** GET of one bay only: how far its stack is (an extra key the stock clients ignore or print). */
        @JsonInclude(JsonInclude.Include.NON_NULL) Progress progress) {

    public static BayView of(Bay b, String base) {
        return of(b, base, null);
    }

    public static BayView of(Bay b, String base, Progress progress) {
        return new BayView(b.uuid, b.name, b.baymodelId, b.workerCount(), b.masterCount, b.discoveryUrl, b.createTimeout,
                b.dockerVolumeSize, b.labels, b.flavorId, b.masterFlavorId, b.fixedNetwork, b.fixedSubnet,
                b.floatingIpEnabled, b.masterLbEnabled, b.stackId, b.status.name(), b.statusReason, b.apiAddress,
                b.masterAddresses, b.nodeAddresses, b.faults, ResponseLinks.of(base, "bays", b.uuid),
                Timestamps.format(b.createdAt), Timestamps.format(b.updatedAt), progress);
    }
}
