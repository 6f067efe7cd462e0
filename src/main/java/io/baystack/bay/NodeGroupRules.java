package io.baystack.bay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.baystack.api.BaystackException;
import io.baystack.api.Validation;
import io.baystack.bay.NodeGroupService.Request;

/** What a node group's create and resize must satisfy (Magnum's rules, with its messages where it has them). */
final class NodeGroupRules {

    private NodeGroupRules() {
    }

    static NodeGroup validated(Request r, int minNodes) {
        if (r.name() == null || r.name().isBlank()) {
            throw BaystackException.invalid("Invalid input for field/attribute name. Mandatory field missing.");
        }
        Validation.length("name", r.name(), 255);
        Validation.text("name", r.name());
        String role = r.role() == null || r.role().isBlank() ? NodeGroup.WORKER : r.role();
        if (NodeGroup.MASTER.equals(role)) {
            throw BaystackException.invalid("Creating master node groups is not supported: a cluster has one master.");
        }
        Validation.length("role", role, 64);
        Validation.text("role", role);
        NodeGroup g = new NodeGroup();
        g.uuid = UUID.randomUUID().toString();
        g.name = r.name();
        g.role = role;
        g.nodeCount = r.nodeCount() == null ? 1 : r.nodeCount();
        Validation.atLeast("node_count", g.nodeCount, minNodes);
        g.minNodeCount = r.minNodeCount() == null ? 0 : r.minNodeCount();
        g.maxNodeCount = r.maxNodeCount();
        bounds(g.minNodeCount, g.maxNodeCount, g.nodeCount);
        Validation.atLeast("docker_volume_size", r.dockerVolumeSize(), 1);
        g.dockerVolumeSize = r.dockerVolumeSize();
        g.flavorId = blankToNull(r.flavorId());
        g.imageId = blankToNull(r.imageId());
        g.nodeLabels = r.nodeLabels() == null ? Map.of() : nodeLabels(r.nodeLabels());
        g.nodeTaints = r.nodeTaints() == null ? List.of() : taints(r.nodeTaints());
        return g;
    }

    static void bounds(Integer min, Integer max, int nodeCount) {
        Validation.atLeast("min_node_count", min, 0);
        if (max != null && max < min) {
            throw BaystackException.invalid("max_node_count " + max + " is less than min_node_count " + min + ".");
        }
        if (nodeCount < min || (max != null && nodeCount > max)) {
            throw BaystackException.invalid("node_count " + nodeCount + " is not between min_node_count " + min
                    + " and max_node_count " + (max == null ? "(none)" : max) + ".");
        }
    }

    /** Whether extra group {@code g} of {@code bay} may be upgraded to {@code target} ({@link NodeGroupService#upgrade}). */
    static void upgradable(Bay bay, NodeGroup g, io.baystack.baymodel.BayModel target, String asked) {
        if (!target.uuid.equals(bay.baymodelId)) {
            throw BaystackException.invalid("Node group " + g.name + " can be upgraded only to its cluster's template ("
                    + bay.baymodelId + "): upgrade the cluster to " + asked + " first, then its node groups.");
        }
        if (g.id == null) {
            throw BaystackException.invalid("Node group " + g.name + " is the cluster's own and runs its template "
                    + bay.baymodelId + " already: nothing to upgrade.");
        }
        if (!g.inStack()) {
            throw BaystackException.invalid("Node group " + g.name + " is being deleted (" + g.status + ").");
        }
        if (g.imageId == null || g.imageId.equals(target.imageId)) {
            throw BaystackException.invalid("Node group " + g.name + " runs its cluster's template " + bay.baymodelId
                    + " (image " + target.imageId + ") already: nothing to upgrade.");
        }
    }

    /** A Kubernetes label's name: an optional DNS-subdomain prefix and '/', then 1 to 63 characters. */
    private static final java.util.regex.Pattern LABEL_KEY = java.util.regex.Pattern.compile(
            "^(?:([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)/)?([A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$");
    private static final java.util.regex.Pattern LABEL_VALUE = java.util.regex.Pattern.compile(
            "^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");

    /**
     * The labels the group's kubelets register their nodes with ({@code --node-labels}): Kubernetes'
     * label syntax, and none in the kubernetes.io or k8s.io namespaces but those a kubelet may set on its
     * own node (under kubelet.kubernetes.io and node.kubernetes.io): the kubelet refuses the others and
     * the node would never join.
     */
    static Map<String, String> nodeLabels(Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            java.util.regex.Matcher key = LABEL_KEY.matcher(e.getKey() == null ? "" : e.getKey());
            if (!key.matches() || (key.group(1) != null && key.group(1).length() > 253)) {
                throw BaystackException.invalid("node_labels: '" + Validation.printable(String.valueOf(e.getKey()))
                        + "' is not a Kubernetes label name ([prefix/]name, the name 1 to 63 letters, digits, '-', '_' or '.').");
            }
            String prefix = key.group(1) == null ? "" : key.group(1);
            if (prefix.equals(NodeGroup.LABEL_PREFIX)) {
                throw BaystackException.invalid("node_labels: '" + e.getKey() + "' is in the " + prefix
                        + " namespace, whose role and nodegroup labels baystack sets on every node.");
            }
            if (reserved(prefix)) {
                throw BaystackException.invalid("node_labels: '" + e.getKey() + "' is in the " + prefix
                        + " namespace, which a kubelet may not set on its node (only under kubelet.kubernetes.io and node.kubernetes.io).");
            }
            if (e.getValue() == null || !LABEL_VALUE.matcher(e.getValue()).matches()) {
                throw BaystackException.invalid("node_labels: the value of '" + e.getKey() + "' ('"
                        + Validation.printable(String.valueOf(e.getValue()))
                        + "') is not a Kubernetes label value (at most 63 letters, digits, '-', '_' or '.').");
            }
        }
        return labels;
    }

    private static boolean reserved(String prefix) {
        boolean kubernetes = prefix.equals("kubernetes.io") || prefix.endsWith(".kubernetes.io")
                || prefix.equals("k8s.io") || prefix.endsWith(".k8s.io");
        boolean selfSet = prefix.equals("kubelet.kubernetes.io") || prefix.endsWith(".kubelet.kubernetes.io")
                || prefix.equals("node.kubernetes.io") || prefix.endsWith(".node.kubernetes.io");
        return kubernetes && !selfSet;
    }

    /** Kubernetes taints as {@code key[=value]:Effect}, the effect one of the three Kubernetes has. */
    private static List<String> taints(List<String> taints) {
        for (String t : taints) {
            if (t == null || !t.matches("^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?(=[-A-Za-z0-9_.]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$")) {
                throw BaystackException.invalid("node_taints: '" + Validation.printable(String.valueOf(t))
                        + "' is not a taint (key[=value]:NoSchedule|PreferNoSchedule|NoExecute).");
            }
        }
        return List.copyOf(taints);
    }

    /** The group's labels: the request's, or the cluster's; merged over the cluster's when asked (as Magnum). */
    static Map<String, String> labels(Request r, Bay bay) {
        if (r.labels() == null || r.labels().isEmpty()) {
            return bay.labels;
        }
        if (!r.mergeLabels()) {
            return r.labels();
        }
        Map<String, String> merged = new LinkedHashMap<>(bay.labels);
        merged.putAll(r.labels());
        return merged;
    }

    /** A scale-down's removals in the group: indexes, its servers' names (as indexes), addresses, server uuids. */
    static String removals(Bay bay, NodeGroup g, int delta, List<String> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            return null;
        }
        if (nodes.size() > -delta) {
            throw BaystackException.invalid("nodes_to_remove names " + nodes.size() + " nodes but node_count "
                    + g.nodeCount + " -> " + (g.nodeCount + delta) + " removes " + Math.max(0, -delta) + ".");
        }
        String serverName = java.util.regex.Pattern.quote(bay.stackName + "-" + NodeGroup.serverInfix(g.name) + "-") + "(\\d{1,4})";
        List<String> named = new ArrayList<>();
        for (String node : nodes) {
            if (node != null && node.matches(serverName)) {
                named.add(node.replaceFirst(serverName, "$1"));
            } else if (node != null && (node.matches("\\d{1,4}") || g.nodeAddresses.contains(node)
                    || io.baystack.api.Idents.isUuid(node))) {
                named.add(node);
            } else {
                throw BaystackException.invalid("nodes_to_remove: '" + Validation.printable(String.valueOf(node))
                        + "' is not a node of node group " + g.name + " (give its index, one of its node_addresses,"
                        + " or its server's uuid or name).");
            }
        }
        return String.join(",", named);
    }


    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
