package io.baystack.cluster;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.Noun;
import io.baystack.api.StrictStrings;
import io.baystack.bay.BayRequest;

/**
 * The body of {@code POST /v1/clusters}. {@code cluster_template_id} may be a name: the OpenStack
 * client sends the name as typed. Labels may be any scalar; they are kept as text.
 * Text fields take JSON strings only.
 */
@StrictStrings.Checked
public record ClusterCreateRequest(
        String name,
        @JsonProperty("cluster_template_id") String clusterTemplateId,
        String keypair,
        @JsonProperty("node_count") Integer nodeCount,
        @JsonProperty("master_count") Integer masterCount,
        @JsonProperty("discovery_url") String discoveryUrl,
        @JsonProperty("create_timeout") Integer createTimeout,
        @JsonProperty("docker_volume_size") Integer dockerVolumeSize,
        Map<String, Object> labels,
        @JsonProperty("merge_labels") Boolean mergeLabels,
        @JsonProperty("flavor_id") String flavorId,
        @JsonProperty("master_flavor_id") String masterFlavorId,
        @JsonProperty("fixed_network") String fixedNetwork,
        @JsonProperty("fixed_subnet") String fixedSubnet,
        @JsonProperty("floating_ip_enabled") Boolean floatingIpEnabled,
        @JsonProperty("master_lb_enabled") Boolean masterLbEnabled) {

    /** How a cluster's create names its noun and fields, for the service's messages. */
    public static final BayRequest.Names NAMES = new BayRequest.Names(Noun.CLUSTER, "cluster_template_id",
            "create_timeout");

    /** {@code minNodes}: 0 from microversion 1.10, else 1. */
    public BayRequest toRequest(int minNodes, Map<String, String> textLabels) {
        return BayRequest.builder().name(name).model(clusterTemplateId).nodeCount(nodeCount).masterCount(masterCount)
                .discoveryUrl(discoveryUrl).createTimeout(createTimeout).dockerVolumeSize(dockerVolumeSize)
                .labels(textLabels).mergeLabels(Boolean.TRUE.equals(mergeLabels)).flavorId(flavorId)
                .masterFlavorId(masterFlavorId).fixedNetwork(fixedNetwork).fixedSubnet(fixedSubnet)
                .floatingIpEnabled(floatingIpEnabled).masterLbEnabled(masterLbEnabled).keypair(keypair)
                .minNodes(minNodes).build();
    }
}
