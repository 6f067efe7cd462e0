package io.baystack.bay;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.api.BaystackException;
import io.baystack.api.Idents;
import io.baystack.api.JsonPatch;
import io.baystack.api.Noun;
import io.baystack.api.Validation;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.baymodel.KubeRelease;
import io.baystack.baymodel.CloudChecks;
import io.baystack.baymodel.CloudResources;
import io.baystack.keystone.Caller;
import io.baystack.observability.BayLog;
import io.baystack.trace.BayTracing;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * What changes an existing bay's stack from the API: a node_count PATCH, a cluster's resize (with the
 * minions it removes) and its upgrade to another model. Each is stored UPDATE_IN_PROGRESS with the update
 * pending, then handed to the Heat function after the commit.
 */
@ApplicationScoped
public class BayUpdates {

    private static final Logger LOG = Logger.getLogger(BayUpdates.class);
    private static final String WAITING = BayService.WAITING;

    private final BayRepository bays;
    private final BayModelRepository models;
    private final HandOffs handOffs;
    private final BayTracing tracing;
    private final CloudChecks cloud;
    private final NodeGroupService nodeGroups;

    BayUpdates(BayRepository bays, BayModelRepository models, HandOffs handOffs, BayTracing tracing, CloudChecks cloud,
            NodeGroupService nodeGroups) {
        this.bays = bays;
        this.nodeGroups = nodeGroups;
        this.models = models;
        this.handOffs = handOffs;
        this.tracing = tracing;
        this.cloud = cloud;
    }

    /**
     * Accepts a node_count change (the only attribute a bay may change, as in Magnum) from a
     * *_COMPLETE bay: stored UPDATE_IN_PROGRESS with the update pending, then handed to the Heat
     * function after the commit. The same node_count again changes nothing.
     */
    public Uni<Bay> update(String ident, List<JsonPatch.Op> patch, Caller caller, Noun noun, int minNodes, boolean rollback) {
        JsonPatch.validate(patch);
        if (patch.stream().anyMatch(op -> HEALTH.contains(op.attribute()))) {
            return health(ident, patch, caller, noun);
        }
        Integer nodeCount = null;
        for (JsonPatch.Op op : patch) {
            String attribute = op.attribute();
            if (BayService.INTERNAL.contains(attribute)) {
                throw BaystackException.invalid("'/" + attribute + "' is an internal attribute and can not be updated");
            }
            if (!"node_count".equals(attribute)) {
                throw BaystackException.invalid("Cannot change " + noun.singular().toLowerCase() + " property(ies) " + attribute
                        + ": only node_count may be updated.");
            }
            nodeCount = op.removes() ? 1 : Validation.integer("node_count", op.value());
        }
        return resize(ident, nodeCount, List.of(), caller, noun, minNodes, BayTransition.Statuses.UPDATABLE, rollback);
    }

    private static final java.util.Set<String> HEALTH = java.util.Set.of("health_status", "health_status_reason");

    /**
     * An admin's report of a finished bay's health (Magnum's auto-healer path: {@code health_status} one of
     * HEALTHY, UNHEALTHY, UNKNOWN, with an optional {@code health_status_reason} object), alone in its PATCH.
     * The status sync's next check (baystack.bay-health.interval) replaces it with what it finds.
     */
    private Uni<Bay> health(String ident, List<JsonPatch.Op> patch, Caller caller, Noun noun) {
        if (!caller.isAdmin()) {
            throw BaystackException.forbidden("Only an admin may update health_status and health_status_reason.");
        }
        String status = null;
        java.util.Map<String, String> reason = java.util.Map.of();
        for (JsonPatch.Op op : patch) {
            switch (op.attribute()) {
                case "health_status" -> status = op.removes() || op.value() == null || !op.value().isTextual() ? null
                        : op.value().asText();
                case "health_status_reason" -> reason = reason(op);
                default -> throw BaystackException.invalid("health_status and health_status_reason are updated on their own, not"
                        + " with " + op.attribute() + ".");
            }
        }
        if (status == null || !java.util.Set.of("HEALTHY", "UNHEALTHY", "UNKNOWN").contains(status)) {
            throw BaystackException.invalid("Invalid input for field/attribute health_status. Value should be one of:"
                    + " HEALTHY, UNHEALTHY, UNKNOWN.");
        }
        String found = status;
        java.util.Map<String, String> why = reason;
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun)).chain(bay -> bays.apply(BayTransition.HEALTH_RECORDED,
                bay.id, BayChange.health(found, why)).chain(applied -> {
            if (!applied.changed()) {
                throw BaystackException.invalid("Updating the health of a " + noun.singular().toLowerCase() + " when status is \""
                        + bay.status + "\" is not supported");
            }
            return Panache.withSession(() -> bays.findByUuid(bay.uuid));
        }));
    }

    private static java.util.Map<String, String> reason(JsonPatch.Op op) {
        if (op.removes() || op.value() == null || op.value().isNull()) {
            return java.util.Map.of();
        }
        if (!op.value().isObject()) {
            throw BaystackException.invalid("Invalid input for field/attribute health_status_reason. It must be an object.");
        }
        java.util.Map<String, String> reason = new java.util.TreeMap<>();
        op.value().fields().forEachRemaining(e -> reason.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                : e.getValue().toString()));
        return reason;
    }

    /**
     * The node_count change behind both a PATCH and a cluster's resize action. {@code nodesToRemove}
     * (resize only) names the minions a scale-down removes: group indexes or the addresses the bay
     * shows; at most as many as the scale-down removes.
     */
    public Uni<Bay> resize(String ident, Integer nodeCount, List<String> nodesToRemove, Caller caller, Noun noun,
            int minNodes) {
        return resize(ident, nodeCount, nodesToRemove, caller, noun, minNodes, BayTransition.Statuses.RESIZABLE, false);
    }

    /**
     * A cluster's resize naming a node group (1.9): the default workers' as any resize, an extra group's
     * within its bounds; the master group cannot be resized.
     */
    public Uni<Bay> resize(String ident, Integer nodeCount, List<String> nodesToRemove, String nodegroup, Caller caller,
            Noun noun, int minNodes) {
        if (nodegroup == null || nodegroup.isBlank() || NodeGroup.DEFAULT_WORKER.equals(nodegroup)) {
            return resize(ident, nodeCount, nodesToRemove, caller, noun, minNodes);
        }
        if (nodeCount == null) {
            throw BaystackException.invalid("Invalid input for field/attribute node_count. Mandatory field missing.");
        }
        Validation.atLeast("node_count", nodeCount, minNodes);
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun)).chain(bay -> NodeGroupService.isDefaultWorker(bay, nodegroup)
                ? resize(ident, nodeCount, nodesToRemove, caller, noun, minNodes)
                : nodeGroups.resize(bay, nodegroup, nodeCount, nodesToRemove));
    }

    /** {@code from}: the statuses the change may start from (a resize also recovers an UPDATE_FAILED bay). */
    private Uni<Bay> resize(String ident, Integer nodeCount, List<String> nodesToRemove, Caller caller, Noun noun,
            int minNodes, java.util.Set<BayStatus> from, boolean rollback) {
        if (nodeCount == null) {
            throw BaystackException.invalid("Invalid input for field/attribute node_count. Mandatory field missing.");
        }
        Validation.atLeast("node_count", nodeCount, minNodes);
        int wanted = nodeCount;
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun)).chain(bay -> {
            if (!from.contains(bay.status)) {
                throw BaystackException.invalid("Updating a " + noun.singular().toLowerCase() + " when status is \""
                        + bay.status + "\" is not supported");
            }
            String remove = minionsToRemove(bay, wanted, nodesToRemove);
            // the same count again changes nothing, but on a failed update it is the retry that recovers it
            if (bay.nodeCount == wanted && bay.status != BayStatus.UPDATE_FAILED) {
                return Uni.createFrom().item(bay);
            }
            return bays.apply(BayTransition.UPDATE_ACCEPTED, bay.id, BayChange.reason(WAITING)
                    .note("Update to node_count " + wanted + " accepted; waiting for the Heat function")
                    .nodeCount(wanted, remove).rollback(rollback).trace(tracing.current())).chain(applied -> {
                if (!applied.changed()) {
                    throw BaystackException.conflict(noun.singular() + " " + bay.uuid + " changed while it was being updated. Retry.");
                }
                LOG.debugf("bay %s: node_count %d -> %d accepted", bay.uuid, bay.nodeCount, wanted);
                return handOffs.handOver(bay.uuid, HandOffs.UPDATE, BayLog.requestId())
                        .chain(() -> Panache.withSession(() -> bays.findByUuid(bay.uuid)));
            });
        });
    }

    /**
     * Moves a *_COMPLETE cluster to another model (Magnum's upgrade, 1.8): same coe and network driver,
     * its image in the cloud; stored UPDATE_IN_PROGRESS with the new model and the stack update pending,
     * which rebuilds the servers on the new image and kube_tag, {@code maxBatchSize} minions at a time.
     */
    public Uni<Bay> upgrade(String ident, String template, Integer maxBatchSize, Caller caller, Noun noun) {
        UpgradeTarget upgrade = UpgradeTarget.of(template, maxBatchSize);
        int batch = upgrade.batch();
        String kind = noun.singular().toLowerCase();
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun).chain(bay -> models.findByUuid(bay.baymodelId)
                .chain(current -> upgrade.find(models, caller)
                        .map(target -> {
                            if (!BayTransition.Statuses.UPDATABLE.contains(bay.status) || bay.stackId == null) {
                                throw BaystackException.invalid("Upgrading a " + kind + " when status is \"" + bay.status
                                        + "\" is not supported");
                            }
                            if (target.hidden && !caller.isAdmin()) {
                                throw BaystackException.forbidden("ClusterTemplate " + template
                                        + " is hidden: only an admin may upgrade a " + kind + " to it.");
                            }
                            if (current != null && target.uuid.equals(current.uuid)) {
                                throw BaystackException.invalid("The " + kind + " " + bay.uuid + " already uses cluster template "
                                        + template + ": nothing to upgrade to.");
                            }
                            if (current != null && !target.coe.equals(current.coe)) {
                                throw BaystackException.invalid("Cluster template " + template + " is for coe " + target.coe
                                        + ", not " + current.coe + ": a " + kind + " cannot be upgraded to another coe.");
                            }
                            if (current != null && !java.util.Objects.equals(target.networkDriver, current.networkDriver)) {
                                throw BaystackException.invalid("Cluster template " + template + " has network driver "
                                        + target.networkDriver + ", not " + current.networkDriver
                                        + ": a " + kind + " cannot change its network driver by an upgrade.");
                            }
                            KubeRelease from = current == null ? null : KubeRelease.of(current);
                            KubeRelease to = KubeRelease.of(target);
                            if (from != null && to != null) {
                                from.requireUpgradableTo(to, kind);
                            }
                            return target;
                        }))))
                // the new image must be in the cloud, as for a create
                .call(target -> cloud.require(caller, new CloudResources.Refs(target.imageId, null, null, null, null, null, null)))
                .chain(target -> Panache.withSession(() -> bays.findVisible(ident, caller, noun)).chain(bay -> bays.apply(
                        BayTransition.UPGRADE_ACCEPTED, bay.id, BayChange.reason(WAITING)
                                .note("Upgrade to cluster template " + target.uuid + " accepted; waiting for the Heat function")
                                .upgrade(target.uuid, batch).trace(tracing.current()))
                        .chain(applied -> {
                            if (!applied.changed()) {
                                throw BaystackException.conflict(noun.singular() + " " + bay.uuid
                                        + " changed while it was being upgraded. Retry.");
                            }
                            LOG.infof("bay %s: upgrade to model %s accepted (batches of %d)", bay.uuid, target.uuid, batch);
                            return handOffs.handOver(bay.uuid, HandOffs.UPDATE, BayLog.requestId())
                                    .chain(() -> Panache.withSession(() -> bays.findByUuid(bay.uuid)));
                        })));
    }

    /** Upgrades one extra node group of a cluster to the cluster's own template ({@link NodeGroupService#upgrade}). */
    public Uni<Bay> upgradeNodeGroup(String ident, String nodegroup, String template, Integer maxBatchSize, Caller caller) {
        return nodeGroups.upgrade(ident, nodegroup, template, maxBatchSize, caller);
    }

    private static String minionsToRemove(Bay bay, int wanted, List<String> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            return null;
        }
        if (nodes.size() > bay.nodeCount - wanted) {
            throw BaystackException.invalid("nodes_to_remove names " + nodes.size() + " minions but node_count "
                    + bay.nodeCount + " -> " + wanted + " removes " + Math.max(0, bay.nodeCount - wanted) + ".");
        }
        List<String> named = new java.util.ArrayList<>();
        String serverName = java.util.regex.Pattern.quote(bay.stackName + "-minion-") + "(\\d{1,4})";
        for (String node : nodes) {
            if (node != null && node.matches(serverName)) {
                // the minion's Nova server by name: its group index
                named.add(node.replaceFirst(serverName, "$1"));
            } else if (node != null && (node.matches("\\d{1,4}") || bay.nodeAddresses.contains(node) || Idents.isUuid(node))) {
                // an index, an address, or a Nova server's uuid (as the cluster autoscaler names nodes): the
                // Heat function maps a uuid to its minion when it sends the update
                named.add(node);
            } else {
                throw BaystackException.invalid("nodes_to_remove: '" + Validation.printable(String.valueOf(node))
                        + "' is not a minion of " + bay.uuid
                        + " (give its index, one of its node_addresses, or its server's uuid or name).");
            }
        }
        return String.join(",", named);
    }
}
