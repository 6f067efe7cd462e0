package io.baystack.bay;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The values a {@link BayTransition} writes, those it needs and no others: built fluently,
 * e.g. {@code BayChange.reason("Stack UPDATE requested").mark(m)}.
 */
public final class BayChange {

    BayStatus expected;
    BayStatus status;
    String reason;
    String note;
    String stackId;
    String trustId;
    String oldTrustId;
    int nodeCount;
    boolean rollback;
    String upgradeModel;
    Integer upgradeBatch;
    /** The minions Heat's stack holds now (its number_of_minions), read when an operation ends; null: unknown. */
    Integer observedNodeCount;
    String minionsToRemove;
    String healthStatus;
    Map<String, String> healthReason = Map.of();
    /** A cluster's extra worker group as {@link BayTransition#NODEGROUP_ACCEPTED} writes it. */
    NodeGroupChange nodeGroup;
    /** The extra groups' addresses from a finished stack's outputs, by stack key (JSON lists); empty: unknown. */
    Map<String, String> groupAddresses = Map.of();
    String traceParent;
    String mark;
    String apiAddress;
    List<String> masters = List.of();
    List<String> nodes = List.of();
    Map<String, String> faults = Map.of();
    Duration lease = Duration.ZERO;
    Duration retryIn = Duration.ZERO;

    private BayChange() {
    }

    /** A change with no values (a claim released, a removal). */
    public static BayChange none() {
        return new BayChange();
    }

    /** A change whose status_reason (and event) says {@code reason}. */
    public static BayChange reason(String reason) {
        BayChange c = new BayChange();
        c.reason = reason;
        return c;
    }

    /** The create claim for {@code lease}. */
    public static BayChange claim(Duration lease) {
        return new BayChange().lease(lease);
    }

    public BayChange lease(Duration lease) {
        this.lease = lease;
        return this;
    }

    /** Heat's status {@code status} mirrored onto a bay still in {@code expected}, with Heat's reason. */
    public static BayChange mirror(BayStatus expected, BayStatus status, String reason) {
        BayChange c = reason(reason);
        c.expected = expected;
        c.status = status;
        return c;
    }

    /** The health found (HEALTHY, UNHEALTHY, UNKNOWN) and why. */
    public static BayChange health(String status, Map<String, String> reason) {
        BayChange c = new BayChange();
        c.healthStatus = status;
        c.healthReason = Map.copyOf(reason);
        return c;
    }

    /** The extra worker group this change creates, resizes or deletes. */
    public BayChange nodeGroup(NodeGroupChange change) {
        this.nodeGroup = change;
        return this;
    }

    /** The extra groups' addresses as the finished stack's outputs give them (stack key → JSON list). */
    public BayChange groupAddresses(Map<String, String> addresses) {
        this.groupAddresses = Map.copyOf(addresses);
        return this;
    }

    /** What the event and the log line say, when it is more than the status reason. */
    public BayChange note(String note) {
        this.note = note;
        return this;
    }

    /** A new trust for the bay in place of {@code oldTrustId} (null: it had none). */
    public static BayChange trustReplaced(String oldTrustId, String trustId) {
        return new BayChange().replacingTrust(oldTrustId, trustId);
    }

    /** As {@link #trustReplaced}, on a change that says more (a reason, say). */
    public BayChange replacingTrust(String oldTrustId, String trustId) {
        this.trustId = trustId;
        this.oldTrustId = oldTrustId;
        return this;
    }

    /** The bay's trust, just made. */
    public static BayChange trust(String trustId) {
        BayChange c = new BayChange();
        c.trustId = trustId;
        return c;
    }

    public BayChange stack(String stackId) {
        this.stackId = stackId;
        return this;
    }

    /** An upgrade to model {@code modelUuid}, its minions replaced {@code maxBatchSize} at a time. */
    public BayChange upgrade(String modelUuid, int maxBatchSize) {
        this.upgradeModel = modelUuid;
        this.upgradeBatch = maxBatchSize;
        return this;
    }

    /** The update, if it fails, is rolled back by Heat. */
    public BayChange rollback(boolean rollback) {
        this.rollback = rollback;
        return this;
    }

    /** What the stack holds once Heat is done (after a rollback, the count before the failed update). */
    public BayChange observedNodeCount(Integer count) {
        this.observedNodeCount = count;
        return this;
    }

    public BayChange nodeCount(int nodeCount, String minionsToRemove) {
        this.nodeCount = nodeCount;
        this.minionsToRemove = minionsToRemove;
        return this;
    }

    public BayChange trace(String traceParent) {
        this.traceParent = traceParent;
        return this;
    }

    public BayChange mark(String mark) {
        this.mark = mark;
        return this;
    }

    public BayChange addresses(String apiAddress, List<String> masters, List<String> nodes) {
        this.apiAddress = apiAddress;
        this.masters = masters == null ? List.of() : masters;
        this.nodes = nodes == null ? List.of() : nodes;
        return this;
    }

    public BayChange faults(Map<String, String> faults) {
        this.faults = faults == null ? Map.of() : faults;
        return this;
    }

    public BayChange retryIn(Duration wait) {
        this.retryIn = wait;
        return this;
    }

    public BayStatus expected() {
        return expected;
    }

    public BayStatus status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** The event's and log line's words: the note, else the reason. */
    public String told() {
        return note != null ? note : reason;
    }

    public Duration lease() {
        return lease;
    }

    public Duration retryIn() {
        return retryIn;
    }
}
