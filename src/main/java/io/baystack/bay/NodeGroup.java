package io.baystack.bay;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.baystack.api.JsonColumns;

/**
 * An extra worker group of a cluster (Magnum's node groups, 1.9): its own flavor, image, size and
 * bounds, built by the bay's one stack as the group of servers {@code kube_minions_<stackKey>}. Written
 * only by the bay's transitions ({@link BayTransition#NODEGROUP_ACCEPTED} and the ends of the update),
 * in the same statement as the bay row.
 */
@Entity
@Table(name = "nodegroup")
public class NodeGroup {

    public static final String WORKER = "worker";
    public static final String MASTER = "master";
    public static final String DEFAULT_MASTER = "default-master";
    public static final String DEFAULT_WORKER = "default-worker";
    /** The namespace of the labels every node gets: its group's role and name, as Magnum's drivers label nodes. */
    public static final String LABEL_PREFIX = "magnum.openstack.org";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String uuid;
    @Column(name = "bay_id")
    public Long bayId;
    @Column(name = "project_id")
    public String projectId;
    public String name;
    public String role;
    /** The suffix of its group's resource and outputs in the stack; fixed at create. */
    @Column(name = "stack_key")
    public String stackKey;
    @Column(name = "flavor_id")
    public String flavorId;
    @Column(name = "image_id")
    public String imageId;
    @Column(name = "node_count")
    public int nodeCount;
    @Column(name = "min_node_count")
    public int minNodeCount;
    @Column(name = "max_node_count")
    public Integer maxNodeCount;
    @Column(name = "docker_volume_size")
    public Integer dockerVolumeSize;
    @Convert(converter = JsonColumns.StringMap.class)
    @Column(columnDefinition = "text")
    public Map<String, String> labels = Map.of();
    @Convert(converter = JsonColumns.StringMap.class)
    @Column(name = "node_labels", columnDefinition = "text")
    public Map<String, String> nodeLabels = Map.of();
    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "node_taints", columnDefinition = "text")
    public List<String> nodeTaints = List.of();
    /** With the bay's pending update: this group's minions to remove (indexes or addresses), or null. */
    @Column(name = "minions_to_remove", columnDefinition = "text")
    public String minionsToRemove;
    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "node_addresses", columnDefinition = "text")
    public List<String> nodeAddresses = List.of();
    public String status;
    @Column(name = "status_reason", columnDefinition = "text")
    public String statusReason;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Whether the stack is to hold this group: every group but one being (or failed to be) deleted. */
    public boolean inStack() {
        return status == null || !status.startsWith("DELETE_");
    }

    /**
     * What the group's kubelets register their nodes with ({@code --node-labels}, comma-separated): the
     * group's role and name, then its own node labels (their names and values checked when the group was
     * made). A name that is no label value is labelled by its server infix.
     */
    public String kubeletLabels() {
        StringBuilder out = new StringBuilder(LABEL_PREFIX + "/role=" + role + "," + LABEL_PREFIX + "/nodegroup="
                + (name.matches("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?") ? name : serverInfix(name)));
        new java.util.TreeMap<>(nodeLabels).forEach((k, v) -> out.append(',').append(k).append('=').append(v));
        return out.toString();
    }

    /** The group's taints as the bootstrap takes them: comma-separated {@code key[=value]:Effect}. */
    public String kubeletTaints() {
        return String.join(",", nodeTaints);
    }

    /** The middle of the group's server names, {@code <stack>-<infix>-<index>}: its name made safe for host names. */
    public static String serverInfix(String groupName) {
        String safe = groupName.toLowerCase(java.util.Locale.ROOT).replace('_', '-').replace('.', '-').replaceAll("[^a-z0-9-]", "");
        safe = safe.length() > 20 ? safe.substring(0, 20) : safe;
        return safe.isEmpty() ? "ng" : safe;
    }
}
