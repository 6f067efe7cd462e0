package io.baystack.cluster;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.bay.Progress;
import io.baystack.api.ResponseLinks;
import io.baystack.api.Timestamps;
import io.baystack.bay.Bay;
import io.baystack.bay.BayListing;

/**
 * A bay under today's name, as {@code GET /v1/clusters/{ident}} and {@code /detail} show it. The
 * summary of {@code GET /v1/clusters} is the same record without the detail part. health_status and its
 * reason are the status sync's last check of the cluster's Kubernetes API (or an admin's PATCH).
 */
public record ClusterView(
        String uuid,
        String name,
        @JsonProperty("cluster_template_id") String clusterTemplateId,
        String keypair,
        @JsonProperty("node_count") int nodeCount,
        @JsonProperty("master_count") int masterCount,
        @JsonProperty("docker_volume_size") Integer dockerVolumeSize,
        Map<String, String> labels,
        @JsonProperty("master_flavor_id") String masterFlavorId,
        @JsonProperty("flavor_id") String flavorId,
        @JsonProperty("create_timeout") int createTimeout,
        @JsonProperty("stack_id") String stackId,
        String status,
        @JsonProperty("health_status") String healthStatus,
        @JsonUnwrapped Detail detail,
        List<ResponseLinks.Link> links) {

    /** The fields only the full view has, flattened into it. */
    public record Detail(
            @JsonProperty("discovery_url") String discoveryUrl,
            @JsonProperty("status_reason") String statusReason,
            @JsonProperty("api_address") String apiAddress,
            @JsonProperty("master_addresses") List<String> masterAddresses,
            @JsonProperty("node_addresses") List<String> nodeAddresses,
            @JsonProperty("coe_version") String coeVersion,
            @JsonProperty("container_version") String containerVersion,
            @JsonProperty("health_status_reason") Map<String, String> healthStatusReason,
            @JsonProperty("fixed_network") String fixedNetwork,
            @JsonProperty("fixed_subnet") String fixedSubnet,
            @JsonProperty("floating_ip_enabled") boolean floatingIpEnabled,
            @JsonProperty("master_lb_enabled") boolean masterLbEnabled,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("user_id") String userId,
            Map<String, String> faults,
            /** GET of one cluster only: how its labels differ from its template's. */
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("labels_overridden") Map<String, String> labelsOverridden,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("labels_added") Map<String, String> labelsAdded,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("labels_skipped") Map<String, String> labelsSkipped,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("updated_at") String updatedAt,
            /** GET of one cluster only: how far its stack is. */
            @JsonInclude(JsonInclude.Include.NON_NULL) Progress progress) {
    }

    public static ClusterView summary(BayListing b, String base) {
        return new ClusterView(b.uuid(), b.name(), b.baymodelId(), b.keypair(), b.nodeCount() + b.groupNodes(), b.masterCount(),
                b.dockerVolumeSize(), b.labels(), b.masterFlavorId(), b.flavorId(), b.createTimeout(), b.stackId(),
                b.status().name(), b.healthStatus(), null, ResponseLinks.of(base, "clusters", b.uuid()));
    }

    public static ClusterView full(Bay b, String base) {
        return full(b, base, null, null);
    }

    /** One cluster's view: with its progress, and its labels against its template's ({@code modelLabels}). */
    public static ClusterView full(Bay b, String base, Progress progress, Map<String, String> modelLabels) {
        LabelsDiff diff = modelLabels == null ? new LabelsDiff(null, null, null) : LabelsDiff.of(modelLabels, b.labels);
        return of(b, base, new Detail(b.discoveryUrl, b.statusReason, b.apiAddress, b.masterAddresses,
                b.nodeAddresses, null, null, b.healthStatusReason, b.fixedNetwork, b.fixedSubnet, b.floatingIpEnabled,
                b.masterLbEnabled, b.projectId, b.userId, b.faults, diff.overridden(), diff.added(), diff.skipped(),
                Timestamps.format(b.createdAt), Timestamps.format(b.updatedAt), progress));
    }

    private static ClusterView of(Bay b, String base, Detail detail) {
        return new ClusterView(b.uuid, b.name, b.baymodelId, b.keypair, b.workerCount(), b.masterCount,
                b.dockerVolumeSize, b.labels, b.masterFlavorId, b.flavorId, b.createTimeout, b.stackId,
                b.status.name(), b.healthStatus, detail,
                ResponseLinks.of(base, "clusters", b.uuid));
    }
}
