package io.baystack.cluster;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.baystack.api.ResponseLinks;
import io.baystack.api.Timestamps;
import io.baystack.bay.Bay;
import io.baystack.bay.NodeGroup;

/**
 * A node group as {@code GET /v1/clusters/{c}/nodegroups/{ng}} shows it (Magnum's fields); the list shows
 * the summary part. The defaults are the bay's own (no row): is_default true, its status.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeGroupView(
        String uuid,
        String name,
        @JsonProperty("flavor_id") String flavorId,
        @JsonProperty("image_id") String imageId,
        @JsonProperty("node_count") int nodeCount,
        String role,
        @JsonProperty("is_default") boolean isDefault,
        String status,
        @JsonProperty("min_node_count") int minNodeCount,
        @JsonProperty("max_node_count") Integer maxNodeCount,
        @JsonUnwrapped Detail detail,
        List<ResponseLinks.Link> links) {

    /** The fields only one group's view has. */
    public record Detail(
            @JsonProperty("cluster_id") String clusterId,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("docker_volume_size") Integer dockerVolumeSize,
            Map<String, String> labels,
            @JsonProperty("labels_overridden") Map<String, String> labelsOverridden,
            @JsonProperty("labels_added") Map<String, String> labelsAdded,
            @JsonProperty("labels_skipped") Map<String, String> labelsSkipped,
            @JsonProperty("node_labels") Map<String, String> nodeLabels,
            @JsonProperty("node_taints") List<String> nodeTaints,
            @JsonProperty("node_addresses") List<String> nodeAddresses,
            @JsonProperty("stack_id") String stackId,
            @JsonProperty("status_reason") String statusReason,
            String version,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("updated_at") String updatedAt) {
    }

    static boolean isDefault(NodeGroup g) {
        return g.id == null;
    }

    static NodeGroupView summary(NodeGroup g, Bay bay, String base) {
        return of(g, bay, base, null);
    }

    static NodeGroupView full(NodeGroup g, Bay bay, String base) {
        // against the cluster's labels, as Magnum compares a group's
        LabelsDiff diff = LabelsDiff.of(bay.labels, g.labels);
        return of(g, bay, base, new Detail(bay.uuid, g.projectId, g.dockerVolumeSize, g.labels, diff.overridden(), diff.added(), diff.skipped(),
                g.nodeLabels, g.nodeTaints, g.nodeAddresses, bay.stackId, g.statusReason, "1.0",
                Timestamps.format(g.createdAt), Timestamps.format(g.updatedAt)));
    }

    private static NodeGroupView of(NodeGroup g, Bay bay, String base, Detail detail) {
        return new NodeGroupView(g.uuid, g.name, g.flavorId, g.imageId, g.nodeCount, g.role, isDefault(g), g.status,
                g.minNodeCount, g.maxNodeCount, detail,
                ResponseLinks.of(base, "clusters/" + bay.uuid + "/nodegroups", g.uuid));
    }
}
