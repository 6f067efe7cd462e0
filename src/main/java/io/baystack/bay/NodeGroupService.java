package io.baystack.bay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.api.BaystackException;
import io.baystack.api.JsonPatch;
import io.baystack.api.Noun;
import io.baystack.api.Validation;
import io.baystack.baymodel.BayModel;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.baymodel.CloudChecks;
import io.baystack.baymodel.CloudResources;
import io.baystack.keystone.Caller;
import io.baystack.observability.BayLog;
import io.baystack.trace.BayTracing;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A cluster's node groups (Magnum 1.9). {@code default-master} and {@code default-worker} are the bay
 * itself (its master_count and node_count, flavors, image, addresses and status); extra worker groups are
 * rows, each built by the bay's stack as a group of its own. Creating, resizing or deleting an extra group
 * is a stack update of the whole bay: the bay goes UPDATE_IN_PROGRESS with the group's change written in
 * the same statement, as any update, and the group settles when the update ends.
 */
@ApplicationScoped
public class NodeGroupService {

    private static final Logger LOG = Logger.getLogger(NodeGroupService.class);

    /** A cluster with its groups: the two defaults first, then the extra ones, oldest first. */
    public record Groups(Bay bay, List<NodeGroup> groups) {
    }

    /** The body of a node group's create. */
    public record Request(String name, String role, Integer nodeCount, Integer minNodeCount, Integer maxNodeCount,
            String flavorId, String imageId, Integer dockerVolumeSize, Map<String, String> labels, boolean mergeLabels,
            Map<String, String> nodeLabels, List<String> nodeTaints) {
    }

    private final BayRepository bays;
    private final NodeGroupRepository groups;
    private final BayModelRepository models;
    private final HandOffs handOffs;
    private final BayTracing tracing;
    private final CloudChecks cloud;

    NodeGroupService(BayRepository bays, NodeGroupRepository groups, BayModelRepository models, HandOffs handOffs,
            BayTracing tracing, CloudChecks cloud) {
        this.bays = bays;
        this.groups = groups;
        this.models = models;
        this.handOffs = handOffs;
        this.tracing = tracing;
        this.cloud = cloud;
    }

    /** The cluster's groups, those of {@code role} only when given. */
    public Uni<Groups> list(String cluster, Caller caller, String role) {
        return load(cluster, caller).map(g -> role == null || role.isBlank() ? g
                : new Groups(g.bay(), g.groups().stream().filter(n -> role.equals(n.role)).toList()));
    }

    /** One of the cluster's groups by uuid or name; 404 when it has none such. */
    public Uni<Groups> get(String cluster, String ident, Caller caller) {
        return load(cluster, caller).map(g -> new Groups(g.bay(), List.of(pick(g, ident))));
    }

    /**
     * Adds a worker group to a cluster whose stack may be updated: validated (bounds, role, name unique in
     * the cluster, its image and flavor in the cloud), stored CREATE_IN_PROGRESS with the bay's update
     * pending, then handed to the Heat function.
     */
    public Uni<NodeGroup> create(String cluster, Request r, Caller caller, int minNodes) {
        NodeGroup g = NodeGroupRules.validated(r, minNodes);
        return load(cluster, caller).call(found -> cloud.require(caller,
                new CloudResources.Refs(g.imageId, g.flavorId, null, null, null, null, null)))
                .chain(found -> {
                    Bay bay = found.bay();
                    if (found.groups().stream().anyMatch(n -> n.name.equals(g.name))) {
                        throw BaystackException.conflict("A node group with name " + g.name + " already exists in cluster "
                                + bay.uuid + ".");
                    }
                    g.labels = NodeGroupRules.labels(r, bay);
                    g.stackKey = g.uuid.replace("-", "").substring(0, 10);
                    return accept(bay, new NodeGroupChange(NodeGroupChange.Op.CREATE, g, g.nodeCount),
                            "Node group " + g.name + " (" + g.nodeCount + " nodes) accepted");
                })
                .onFailure(NodeGroupService::uniqueViolation).transform(e -> BaystackException.conflict(
                        "A node group with name " + g.name + " already exists in cluster " + cluster + "."))
                .chain(bay -> Panache.withSession(() -> groups.find(bay, g.uuid)));
    }

    /**
     * An extra group's new node_count (a cluster resize naming it), removing {@code nodesToRemove} (its
     * indexes, server names or uuids, or addresses) on a scale-down; within its min and max.
     */
    public Uni<Bay> resize(Bay bay, String ident, int nodeCount, List<String> nodesToRemove) {
        return Panache.withSession(() -> load(bay)).chain(found -> {
            NodeGroup g = pick(found, ident);
            if (NodeGroup.DEFAULT_MASTER.equals(g.name)) {
                throw BaystackException.invalid("Resizing a master node group is not supported: a cluster has one master.");
            }
            if (!g.inStack()) {
                throw BaystackException.invalid("Node group " + g.name + " is being deleted (" + g.status + ").");
            }
            if (nodeCount < g.minNodeCount || (g.maxNodeCount != null && nodeCount > g.maxNodeCount)) {
                throw BaystackException.invalid("Resizing node group " + g.name + " to " + nodeCount + " nodes: node_count must be"
                        + " between min_node_count " + g.minNodeCount + " and max_node_count "
                        + (g.maxNodeCount == null ? "(none)" : g.maxNodeCount) + ".");
            }
            int delta = nodeCount - g.nodeCount;
            g.minionsToRemove = NodeGroupRules.removals(bay, g, delta, nodesToRemove);
            g.nodeCount = nodeCount;
            return accept(bay, new NodeGroupChange(NodeGroupChange.Op.RESIZE, g, delta),
                    "Resize of node group " + g.name + " to " + nodeCount + " nodes accepted");
        });
    }

    /** Deletes an extra group: its servers go by a stack update; the row once the update is done. */
    public Uni<Void> delete(String cluster, String ident, Caller caller) {
        return load(cluster, caller).chain(found -> {
            NodeGroup g = pick(found, ident);
            if (g.id == null) {
                throw BaystackException.invalid("Deleting a default node group (" + g.name + ") is not supported.");
            }
            if (g.status.equals("DELETE_IN_PROGRESS")) {
                return Uni.createFrom().voidItem();
            }
            return accept(found.bay(), new NodeGroupChange(NodeGroupChange.Op.DELETE, g, g.inStack() ? -g.nodeCount : 0),
                    "Delete of node group " + g.name + " accepted").replaceWithVoid();
        });
    }

    /** A PATCH of an extra group's min_node_count or max_node_count (nothing else may change); no stack update. */
    public Uni<NodeGroup> update(String cluster, String ident, List<JsonPatch.Op> patch, Caller caller) {
        JsonPatch.validate(patch);
        return load(cluster, caller).chain(found -> {
            NodeGroup g = pick(found, ident);
            Integer min = g.minNodeCount;
            Integer max = g.maxNodeCount;
            for (JsonPatch.Op op : patch) {
                switch (op.attribute()) {
                    case "min_node_count" -> min = op.removes() ? 0 : Validation.integer("min_node_count", op.value());
                    case "max_node_count" -> max = op.removes() ? null : Validation.integer("max_node_count", op.value());
                    default -> throw BaystackException.invalid("Cannot update node group property(ies) " + op.attribute()
                            + ": only min_node_count and max_node_count may be updated (node_count by a cluster resize).");
                }
            }
            if (g.id == null) {
                throw BaystackException.invalid("The bounds of a default node group (" + g.name
                        + ") cannot be changed in baystack: resize the cluster within what you need.");
            }
            NodeGroupRules.bounds(min, max, g.nodeCount);
            int newMin = min;
            Integer newMax = max;
            // updated_at on the database's clock, as every time baystack stores
            return Panache.withTransaction(() -> groups.update("minNodeCount = ?1, maxNodeCount = ?2, updatedAt = current_instant"
                    + " where id = ?3", newMin, newMax, g.id))
                    .chain(() -> Panache.withSession(() -> groups.find(found.bay(), g.uuid)));
        });
    }

    /**
     * Upgrades one extra group (Magnum's upgrade naming a nodegroup): to its cluster's own template only,
     * which an upgrade of the cluster moved to first. A group that was made with an image of its own takes
     * the template's: Heat rebuilds its servers on it, {@code maxBatchSize} at a time (the group's rolling
     * update); the group follows the cluster's image from then on. The default groups are the cluster's
     * own and always run its template.
     */
    public Uni<Bay> upgrade(String cluster, String ident, String template, Integer maxBatchSize, Caller caller) {
        UpgradeTarget upgrade = UpgradeTarget.of(template, maxBatchSize);
        return load(cluster, caller).chain(found -> Panache.withSession(() -> upgrade.find(models, caller))
                .chain(target -> {
                    Bay bay = found.bay();
                    NodeGroup g = pick(found, ident);
                    NodeGroupRules.upgradable(bay, g, target, template);
                    String from = g.imageId;
                    g.imageId = null;
                    return accept(bay, new NodeGroupChange(NodeGroupChange.Op.UPGRADE, g, 0), "Upgrade of node group " + g.name
                            + " from image " + from + " to its cluster's template " + bay.baymodelId + " accepted", upgrade.batch());
                }));
    }

    private Uni<Bay> accept(Bay bay, NodeGroupChange change, String note) {
        return accept(bay, change, note, null);
    }

    /** {@code upgradeBatch}: for an upgrade, how many of the group's servers Heat rebuilds at a time; else null. */
    private Uni<Bay> accept(Bay bay, NodeGroupChange change, String note, Integer upgradeBatch) {
        if (!BayTransition.Statuses.RESIZABLE.contains(bay.status) || bay.stackId == null) {
            throw BaystackException.invalid("Changing the node groups of a cluster when status is \"" + bay.status
                    + "\" is not supported");
        }
        BayChange c = BayChange.reason(BayService.WAITING).note(note + "; waiting for the Heat function").nodeGroup(change)
                .trace(tracing.current());
        if (upgradeBatch != null) {
            c.upgrade(null, upgradeBatch);
        }
        return bays.apply(BayTransition.NODEGROUP_ACCEPTED, bay.id, c).chain(applied -> {
            if (!applied.changed()) {
                throw BaystackException.conflict("Cluster " + bay.uuid + " changed while its node groups were being changed. Retry.");
            }
            LOG.infof("bay %s: %s", bay.uuid, note);
            return handOffs.handOver(bay.uuid, HandOffs.UPDATE, BayLog.requestId())
                    .chain(() -> Panache.withSession(() -> bays.findByUuid(bay.uuid)));
        });
    }

    private Uni<Groups> load(String cluster, Caller caller) {
        return Panache.withSession(() -> bays.findVisible(cluster, caller, Noun.CLUSTER).chain(this::load));
    }

    private Uni<Groups> load(Bay bay) {
        return models.findByUuid(bay.baymodelId).chain(model -> groups.forBay(bay.id).map(rows -> {
            List<NodeGroup> all = new ArrayList<>(defaults(bay, model));
            all.addAll(rows);
            return new Groups(bay, all);
        }));
    }

    private static NodeGroup pick(Groups found, String ident) {
        return found.groups().stream().filter(n -> ident.equals(n.name) || ident.equalsIgnoreCase(n.uuid)).findFirst()
                .orElseThrow(() -> BaystackException.notFound("Nodegroup " + Validation.printable(ident) + " could not be found."));
    }

    /** Whether {@code ident} names the bay's default worker group (by name or by its uuid). */
    public static boolean isDefaultWorker(Bay bay, String ident) {
        return NodeGroup.DEFAULT_WORKER.equals(ident) || defaultUuid(bay, NodeGroup.DEFAULT_WORKER).equalsIgnoreCase(ident);
    }

    private static String defaultUuid(Bay bay, String name) {
        return UUID.nameUUIDFromBytes((bay.uuid + "/" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** The bay's own groups as Magnum shows them: its master and its default workers, with the bay's status. */
    static List<NodeGroup> defaults(Bay bay, BayModel model) {
        NodeGroup master = fromBay(bay, model, NodeGroup.DEFAULT_MASTER, NodeGroup.MASTER, bay.masterCount, bay.masterFlavorId);
        master.nodeAddresses = bay.masterAddresses;
        master.minNodeCount = bay.masterCount;
        master.maxNodeCount = bay.masterCount;
        NodeGroup worker = fromBay(bay, model, NodeGroup.DEFAULT_WORKER, NodeGroup.WORKER, bay.nodeCount, bay.flavorId);
        worker.nodeAddresses = bay.nodeAddresses;
        return List.of(master, worker);
    }

    private static NodeGroup fromBay(Bay bay, BayModel model, String name, String role, int count, String flavor) {
        NodeGroup g = new NodeGroup();
        g.uuid = defaultUuid(bay, name);
        g.bayId = bay.id;
        g.projectId = bay.projectId;
        g.name = name;
        g.role = role;
        g.nodeCount = count;
        g.flavorId = flavor;
        g.imageId = model == null ? null : model.imageId;
        g.dockerVolumeSize = bay.dockerVolumeSize;
        g.labels = bay.labels;
        g.status = bay.status.name();
        g.statusReason = bay.statusReason;
        g.createdAt = bay.createdAt;
        g.updatedAt = bay.updatedAt;
        return g;
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("23505")) {
                return true;
            }
        }
        return false;
    }
}
