package io.baystack.bay;

import java.util.Map;

import io.baystack.api.Noun;

/**
 * What a create request asks for, whichever name it came under (a bay or a cluster): the service's
 * one input. Null means "not given" (inherit from the model, or the default).
 *
 * @param noun       Bay or Cluster, for messages and links
 * @param modelField the request's name of the model reference (baymodel_id or cluster_template_id)
 * @param timeoutField the request's name of the timeout (bay_create_timeout or create_timeout)
 * @param minNodes   the smallest node_count allowed (1; 0 for clusters from microversion 1.10)
 */
public record BaySpec(Noun noun, String modelField, String timeoutField, int minNodes,
        String name, String model, Integer nodeCount, Integer masterCount, String discoveryUrl, Integer createTimeout,
        Integer dockerVolumeSize, Map<String, String> labels, boolean mergeLabels, String flavorId,
        String masterFlavorId, String fixedNetwork, String fixedSubnet, Boolean floatingIpEnabled,
        Boolean masterLbEnabled, String keypair) {
}
