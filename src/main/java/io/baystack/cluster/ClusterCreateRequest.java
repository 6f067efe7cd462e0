package io.baystack.cluster;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.Noun;
import io.baystack.api.StrictStrings;
import io.baystack.bay.BaySpec;

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

    /** {@code minNodes}: 0 from microversion 1.10, else 1. */
    public BaySpec toSpec(int minNodes, Map<String, String> textLabels) {
        return new BaySpec(Noun.CLUSTER, "cluster_template_id", "create_timeout", minNodes, name, clusterTemplateId,
                nodeCount, masterCount, discoveryUrl, createTimeout, dockerVolumeSize, textLabels,
                Boolean.TRUE.equals(mergeLabels), flavorId, masterFlavorId, fixedNetwork, fixedSubnet,
                floatingIpEnabled, masterLbEnabled, keypair);
    }
}
