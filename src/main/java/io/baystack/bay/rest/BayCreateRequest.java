package io.baystack.bay.rest;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.Noun;
import io.baystack.api.StrictStrings;
import io.baystack.bay.BayRequest;

/**
 * The body of {@code POST /v1/bays}. Numbers may arrive as strings ({@code "node_count": "1"} in
 * the seed request) and any field may be null; text fields take JSON strings only.
 */
@StrictStrings.Checked
public record BayCreateRequest(
        String name,
        @JsonProperty("baymodel_id") String baymodelId,
        @JsonProperty("node_count") Integer nodeCount,
        @JsonProperty("master_count") Integer masterCount,
        @JsonProperty("discovery_url") String discoveryUrl,
        @JsonProperty("bay_create_timeout") Integer bayCreateTimeout,
        @JsonProperty("docker_volume_size") Integer dockerVolumeSize,
        Map<String, String> labels,
        @JsonProperty("flavor_id") String flavorId,
        @JsonProperty("master_flavor_id") String masterFlavorId,
        @JsonProperty("fixed_network") String fixedNetwork,
        @JsonProperty("fixed_subnet") String fixedSubnet,
        @JsonProperty("floating_ip_enabled") Boolean floatingIpEnabled,
        @JsonProperty("master_lb_enabled") Boolean masterLbEnabled) {

    /** How a bay's create names its noun and fields, for the service's messages. */
    public static final BayRequest.Names NAMES = new BayRequest.Names(Noun.BAY, "baymodel_id", "bay_create_timeout");

    public BayRequest toRequest() {
        return BayRequest.builder().name(name).model(baymodelId).nodeCount(nodeCount).masterCount(masterCount)
                .discoveryUrl(discoveryUrl).createTimeout(bayCreateTimeout).dockerVolumeSize(dockerVolumeSize)
                .labels(labels).flavorId(flavorId).masterFlavorId(masterFlavorId).fixedNetwork(fixedNetwork)
                .fixedSubnet(fixedSubnet).floatingIpEnabled(floatingIpEnabled).masterLbEnabled(masterLbEnabled)
                .build();
    }
}
