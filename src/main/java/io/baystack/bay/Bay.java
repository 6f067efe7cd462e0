package io.baystack.bay;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.baystack.api.JsonColumns;

/** A bay: 1 master and node_count minions, built by one Heat stack. */
@Entity
@Table(name = "bay")
public class Bay {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String uuid;
    public String name;
    @Column(name = "project_id")
    public String projectId;
    @Column(name = "user_id")
    public String userId;
    @Column(name = "baymodel_id")
    public String baymodelId;
    /** The default worker group's minions (a PATCH of node_count, a resize without nodegroup). */
    @Column(name = "node_count")
    public int nodeCount;
    /** The extra worker groups' minions ({@link NodeGroup}), not counting groups being deleted. */
    @Column(name = "group_nodes")
    public int groupNodes;
    @Column(name = "master_count")
    public int masterCount;
    @Column(name = "discovery_url")
    public String discoveryUrl;
    @Column(name = "create_timeout")
    public int createTimeout;
    @Column(name = "docker_volume_size")
    public Integer dockerVolumeSize;
    @Convert(converter = JsonColumns.StringMap.class)
    @Column(columnDefinition = "text")
    public Map<String, String> labels = Map.of();
    @Column(name = "flavor_id")
    public String flavorId;
    @Column(name = "master_flavor_id")
    public String masterFlavorId;
    @Column(name = "fixed_network")
    public String fixedNetwork;
    @Column(name = "fixed_subnet")
    public String fixedSubnet;
    @Column(name = "floating_ip_enabled")
    public boolean floatingIpEnabled = true;
    @Column(name = "master_lb_enabled")
    public boolean masterLbEnabled;
    /** The Nova keypair of the servers (a cluster's own, else its template's keypair_id). */
    public String keypair;
    /** HEALTHY, UNHEALTHY or UNKNOWN (the status sync's check of the bay's Kubernetes API), or null when never checked. */
    @Column(name = "health_status")
    public String healthStatus;
    /** Why: {"api": "ok", "<node>.Ready": "True"}, as Magnum shows it. */
    @Convert(converter = JsonColumns.StringMap.class)
    @Column(name = "health_status_reason", columnDefinition = "text")
    public Map<String, String> healthStatusReason = Map.of();
    @Column(name = "health_checked_at")
    public Instant healthCheckedAt;
    @Column(name = "stack_name")
    public String stackName;
    @Column(name = "stack_id")
    public String stackId;
    /** Trusts a credential rotation replaced, kept for the stack's own trust (Heat's redelegation) until the bay goes. */
    @Column(name = "retired_trust_ids")
    public String retiredTrustIds;
    @Column(name = "trust_id")
    public String trustId;
    /**
     * The token of the request that created the bay, sealed ({@code SecretBox}, bound to the uuid),
     * until the Heat function has made the bay's trust from it; then null.
     */
    @Column(name = "trustor_token")
    public String trustorToken;
    /** The roles the trust delegates (the creator's in the project); null once the trust exists. */
    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "trustor_roles", columnDefinition = "text")
    public List<String> trustorRoles;
    @Column(name = "trustor_expires_at")
    public Instant trustorExpiresAt;

    /** What the creator's sealed token is bound to: this bay, and this use (a CA key does not open as one). */
    public static String trustorContext(String uuid) {
        return "trustor-token/" + uuid;
    }
    @Column(name = "api_address")
    public String apiAddress;
    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "master_addresses", columnDefinition = "text")
    public List<String> masterAddresses = List.of();
    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "node_addresses", columnDefinition = "text")
    public List<String> nodeAddresses = List.of();
    /** Failed Heat resources and their reasons, when the bay failed. */
    @Convert(converter = JsonColumns.StringMap.class)
    @Column(columnDefinition = "text")
    public Map<String, String> faults = Map.of();
    @Enumerated(EnumType.STRING)
    public BayStatus status;
    @Column(name = "status_reason", columnDefinition = "text")
    public String statusReason;
    /** What the Heat function still has to send to Heat for this bay; null when nothing. */
    @Enumerated(EnumType.STRING)
    @Column(name = "pending_op")
    public PendingOp pendingOp;
    /** The pending update asks Heat to roll back if it fails (Magnum's {@code rollback=True}). */
    @jakarta.persistence.Column(name = "update_rollback")
    public boolean updateRollback;
    /** The pending upgrade's batch: how many minions Heat replaces at a time. */
    @jakarta.persistence.Column(name = "upgrade_max_batch_size")
    public Integer upgradeMaxBatchSize;
    /** The stack's updated_time just before the last update was sent ("-" when it had none). */
    @Column(name = "stack_mark")
    public String stackMark;

    /** W3C traceparent of the request that accepted the current operation: its trace goes on from here. */
    @Column(name = "trace_parent")
    public String traceParent;
    /** With a pending update: the minions to remove (comma-separated indexes or addresses), or null. */
    @Column(name = "minions_to_remove", columnDefinition = "text")
    public String minionsToRemove;
    /** Until when a hand-off holds the right to create this bay's stack. */
    @Column(name = "create_claim_until")
    public Instant createClaimUntil;
    /** Failed tries in a row of what the Heat function has to send to Heat for this bay. */
    @Column(name = "heat_attempts")
    public int heatAttempts;
    /** When the status sync last looked at the bay's stack (the sync takes the longest unseen first). */
    @Column(name = "synced_at")
    public Instant syncedAt;
    /** With a failed try: the redrive hands the bay over again from this time on (backoff), not before. */
    @Column(name = "retry_at")
    public Instant retryAt;
    /**
     * Bumped by every transition ({@link BayTransition}); the entity is never written back after it was
     * stored, so this only tells readers the row changed.
     */
    @Version
    public int version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * The bay's Heat stack name: the first 30 characters of its name made safe for Heat, then 12
     * characters of its uuid. Fixed when the bay is accepted, so any retry finds the same stack.
     */
    public static String stackNameFor(String name, String uuid) {
        String head = name.length() > 30 ? name.substring(0, 30) : name;
        head = head.replace('_', '-').replace('.', '-').replaceAll("[^A-Za-z0-9-]", "");
        if (head.isEmpty() || !Character.isLetter(head.charAt(0))) {
            // Heat wants a stack name that starts with a letter
            head = "bay-" + head;
        }
        return (head + "-" + uuid.replace("-", "").substring(0, 12)).toLowerCase(Locale.ROOT);
    }

    /** Every worker the bay has: the default group's and the extra groups' (a cluster's node_count, as Magnum's). */
    public int workerCount() {
        return nodeCount + groupNodes;
    }

    /** Every trust the bay holds: its own and those a rotation replaced; deleted once the bay is gone. */
    public java.util.List<String> allTrustIds() {
        java.util.List<String> all = new java.util.ArrayList<>();
        if (trustId != null) {
            all.add(trustId);
        }
        if (retiredTrustIds != null && !retiredTrustIds.isBlank()) {
            all.addAll(java.util.Arrays.asList(retiredTrustIds.split(",")));
        }
        return all;
    }
}
