package io.baystack.bay;

import static io.baystack.bay.BayStatus.CREATE_IN_PROGRESS;
import static io.baystack.bay.BayStatus.DELETE_IN_PROGRESS;
import static io.baystack.bay.BayStatus.UPDATE_IN_PROGRESS;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The bay's lifecycle: every change baystack makes to a stored bay is one of these rows, applied by
 * {@link BayRepository#apply} as one compare-and-set on the row. A row says from where it may be taken
 * (statuses, the pending operation, whether the bay has a stack, whether the create claim is free),
 * where it leads (a fixed status, the same one, or one of a set the caller picks from Heat's word,
 * or the row's removal), what it writes besides, the event it records and whether it queues a
 * notification. What no row allows does not happen.
 */
public enum BayTransition {
    /** A Heat function takes the right to create the stack for a while (one at a time). */
    CREATE_CLAIMED(set(CREATE_IN_PROGRESS), Pending.NONE, Stack.ABSENT, To.unchanged(), of(Write.CLAIM), null, false),
    /** The create failed in a way that proves Heat did nothing: the next try need not wait for the claim. */
    CREATE_CLAIM_RELEASED(set(CREATE_IN_PROGRESS), Pending.NONE, Stack.ABSENT, To.unchanged(), of(Write.RELEASE_CLAIM), null, false),
    /**
     * The bay's trust was made from the creator's sealed token: the trust is recorded and the token
     * dropped, once (only a bay with no trust yet takes it). Also while a delete waits.
     */
    TRUST_RECORDED(set(CREATE_IN_PROGRESS, DELETE_IN_PROGRESS), Pending.ANY, Stack.ABSENT, To.unchanged(), of(Write.TRUST),
            null, false),
    /**
     * The bay's credentials rotated (1.12): its trust replaced by one the caller just made, taken only
     * while the trust is still the one the caller's request read (a racing rotation loses). Not while
     * Heat works on the bay with the old one, nor once its delete is asked.
     */
    TRUST_ROTATED(Statuses.SETTLED, Pending.NONE, Stack.ANY, To.unchanged(), of(Write.TRUST_REPLACED), null, false),
    /** As {@link #TRUST_ROTATED}, by another user: a stack update through the new trust pending (see CredentialService). */
    TRUST_ROTATED_STACK_UPDATE(Statuses.UPDATABLE, Pending.NONE, Stack.PRESENT, To.of(UPDATE_IN_PROGRESS), of(Write.TRUST_REPLACED,
            Write.ROLLBACK, Write.UPGRADE, Write.PENDING_UPDATE, Write.REASON, Write.TRACE, Write.ATTEMPTS_RESET), BayEvent.ACCEPTED, false),
    /** Heat accepted the stack. Also while a delete waits: the delete then goes to that stack. */
    STACK_RECORDED(set(CREATE_IN_PROGRESS, DELETE_IN_PROGRESS), Pending.ANY, Stack.ABSENT, To.unchanged(),
            of(Write.STACK, Write.REASON, Write.ATTEMPTS_RESET), BayEvent.HANDED_TO_HEAT, false),
    /** Heat refused the stack for good, or the bay's trust could not be made: the creator's token goes too. */
    CREATE_REFUSED(set(CREATE_IN_PROGRESS), Pending.NONE, Stack.ABSENT, To.of(BayStatus.CREATE_FAILED),
            of(Write.REASON, Write.ATTEMPTS_RESET, Write.TRUSTOR_DROPPED), BayEvent.STATUS, false),
    /** The create failed and is tried again after a backoff. */
    CREATE_WAITING(set(CREATE_IN_PROGRESS), Pending.NONE, Stack.ABSENT, To.unchanged(),
            of(Write.REASON, Write.ATTEMPT_COUNTED), BayEvent.WAITING_FOR_HEAT, false),
    /** A new node_count from the API, from a status a bay may be updated from, nothing else pending. */
    UPDATE_ACCEPTED(Statuses.RESIZABLE, Pending.NONE, Stack.ANY, To.of(UPDATE_IN_PROGRESS),
            of(Write.NODE_COUNT, Write.ROLLBACK, Write.UPGRADE, Write.PENDING_UPDATE, Write.REASON, Write.TRACE,
                    Write.ATTEMPTS_RESET),
            BayEvent.ACCEPTED, false),
    /**
     * An upgrade from the API (1.8): the bay moves to another model, and the stack update that rebuilds
     * its servers on the new image and kube_tag is pending (node_count unchanged). Needs a stack.
     */
    UPGRADE_ACCEPTED(Statuses.UPDATABLE, Pending.NONE, Stack.PRESENT, To.of(UPDATE_IN_PROGRESS),
            of(Write.UPGRADE, Write.ROLLBACK, Write.PENDING_UPDATE, Write.REASON, Write.TRACE, Write.ATTEMPTS_RESET),
            BayEvent.ACCEPTED, false),
    /**
     * A CA rotation from the API: the bay's new CA is stored in the same transaction, and the stack
     * update that hands it to the nodes is pending (node_count unchanged). Needs a stack to update.
     */
    CA_ROTATION_ACCEPTED(Statuses.UPDATABLE, Pending.NONE, Stack.PRESENT, To.of(UPDATE_IN_PROGRESS),
            of(Write.ROLLBACK, Write.UPGRADE, Write.PENDING_UPDATE, Write.REASON, Write.TRACE, Write.ATTEMPTS_RESET), BayEvent.ACCEPTED, false),
    /** An extra worker group created, resized or deleted (1.9): its row written with the bay's pending update. */
    NODEGROUP_ACCEPTED(Statuses.RESIZABLE, Pending.NONE, Stack.PRESENT, To.of(UPDATE_IN_PROGRESS), of(Write.NODEGROUP,
            Write.ROLLBACK, Write.UPGRADE, Write.PENDING_UPDATE, Write.REASON, Write.TRACE, Write.ATTEMPTS_RESET), BayEvent.ACCEPTED, false),
    /** The health of a finished bay's Kubernetes: the status sync's check, or an admin's PATCH (Magnum's auto-healer). */
    HEALTH_RECORDED(Statuses.COMPLETED, Pending.NONE, Stack.PRESENT, To.unchanged(), of(Write.HEALTH), null, false),
    /** A delete from the API: from any status but a delete already under way (so a repeated DELETE changes nothing). */
    DELETE_ACCEPTED(EnumSet.complementOf(EnumSet.of(DELETE_IN_PROGRESS)), Pending.ANY, Stack.ANY, To.of(DELETE_IN_PROGRESS),
            of(Write.PENDING_DELETE, Write.REASON, Write.TRACE, Write.ATTEMPTS_RESET), BayEvent.ACCEPTED, false),
    /** Heat accepted the pending update. */
    UPDATE_SENT(set(UPDATE_IN_PROGRESS), Pending.UPDATE, Stack.PRESENT, To.unchanged(),
            of(Write.PENDING_CLEARED, Write.MARK, Write.REASON, Write.ATTEMPTS_RESET), BayEvent.HANDED_TO_HEAT, false),
    /**
     * Heat accepted the pending delete of the bay's stack: the one recorded, or the one found under the
     * bay's name when a create's answer was lost (recorded now, so the sync follows its delete).
     */
    DELETE_SENT(set(DELETE_IN_PROGRESS), Pending.DELETE, Stack.ANY, To.unchanged(),
            of(Write.PENDING_CLEARED, Write.STACK, Write.REASON, Write.ATTEMPTS_RESET), BayEvent.HANDED_TO_HEAT, false),
    /** The pending update failed and is tried again after a backoff. */
    UPDATE_WAITING(set(UPDATE_IN_PROGRESS), Pending.UPDATE, Stack.ANY, To.unchanged(),
            of(Write.REASON, Write.ATTEMPT_COUNTED), BayEvent.WAITING_FOR_HEAT, false),
    /** The pending delete failed and is tried again after a backoff. */
    DELETE_WAITING(set(DELETE_IN_PROGRESS), Pending.DELETE, Stack.ANY, To.unchanged(),
            of(Write.REASON, Write.ATTEMPT_COUNTED), BayEvent.WAITING_FOR_HEAT, false),
    /** Heat refused the pending update for good (or the bay has no stack to update). */
    UPDATE_REFUSED(set(UPDATE_IN_PROGRESS), Pending.UPDATE, Stack.ANY, To.of(BayStatus.UPDATE_FAILED),
            of(Write.PENDING_CLEARED, Write.REASON, Write.ATTEMPTS_RESET, Write.NODEGROUPS_SETTLED), BayEvent.STATUS, false),
    /** Heat refused the pending delete for good. */
    DELETE_REFUSED(set(DELETE_IN_PROGRESS), Pending.DELETE, Stack.ANY, To.of(BayStatus.DELETE_FAILED),
            of(Write.PENDING_CLEARED, Write.REASON, Write.ATTEMPTS_RESET), BayEvent.STATUS, false),
    /** Heat's stack moved to another status of an operation in progress (a rollback began, say). */
    HEAT_PROGRESSED(Statuses.IN_PROGRESS, Pending.NONE, Stack.PRESENT, To.oneOf(Statuses.IN_PROGRESS),
            of(Write.REASON), BayEvent.STATUS, true),
    /** Heat finished the operation: the status, and the addresses from the stack's outputs. */
    HEAT_COMPLETED(Statuses.IN_PROGRESS, Pending.NONE, Stack.PRESENT, To.oneOf(Statuses.COMPLETED),
            of(Write.REASON, Write.ADDRESSES, Write.NODE_COUNT_OBSERVED, Write.NODEGROUPS_SETTLED), BayEvent.STATUS, true),
    /** The operation failed in Heat, or the stack went away behind baystack's back: with the failed resources. */
    HEAT_FAILED(Statuses.IN_PROGRESS, Pending.NONE, Stack.PRESENT, To.oneOf(Statuses.FAILED),
            of(Write.REASON, Write.FAULTS, Write.NODEGROUPS_SETTLED), BayEvent.STATUS, true),
    /** The stack is deleted (Heat says so, or it was already gone when the delete was sent): the bay goes. */
    REMOVED(set(DELETE_IN_PROGRESS), Pending.ANY, Stack.ANY, To.removed(), of(), null, false),
    /** A bay being deleted that never got a stack goes without one (unless a create recorded one meanwhile). */
    REMOVED_WITHOUT_STACK(set(DELETE_IN_PROGRESS), Pending.DELETE, Stack.ABSENT, To.removed(), of(), null, false);

    /** What the pending operation must be. */
    public enum Pending { NONE, UPDATE, DELETE, ANY }

    /** Whether the bay must have a stack. */
    public enum Stack { ABSENT, PRESENT, ANY }

    /** The columns a transition writes besides its status (each from {@link BayChange} where it takes a value). */
    public enum Write {
        /** The create claim, for {@link BayChange#lease()} on the database's clock. */
        CLAIM, RELEASE_CLAIM,
        /** The bay's trust, {@link BayChange#trust}, on a bay that has none; the creator's token dropped. */
        TRUST,
        /** The bay's trust, {@link BayChange#trust}, in place of the one it had ({@link BayChange#trustReplaced}). */
        TRUST_REPLACED,
        /** The creator's sealed token and what came with it, dropped. */
        TRUSTOR_DROPPED,
        STACK, REASON,
        /** The failed tries start again from none, with no backoff. */
        ATTEMPTS_RESET,
        /** One more failed try; handed over again {@link BayChange#retryIn()} from now, the database's clock. */
        ATTEMPT_COUNTED,
        NODE_COUNT,
        /** Whether the pending update is rolled back by Heat on failure, {@link BayChange#rollback}. */
        ROLLBACK,
        /**
         * The pending update's upgrade: the bay's new model ({@link BayChange#upgrade}; unchanged when none)
         * and the batch size (none for an update that is no upgrade).
         */
        UPGRADE,
        /** node_count as the finished stack has it ({@link BayChange#observedNodeCount}), when known. */
        NODE_COUNT_OBSERVED,
        /** One extra worker group written ({@link BayChange#nodeGroup}); those in progress settled by the update's end. */
        NODEGROUP, NODEGROUPS_SETTLED, /* health_status and its reason ({@link BayChange#health}), checked now */ HEALTH,
        PENDING_UPDATE, PENDING_DELETE, PENDING_CLEARED, TRACE, MARK, ADDRESSES, FAULTS
    }

    /** Where a transition leads. */
    public record To(Set<BayStatus> allowed, boolean same, boolean removes) {
        static To unchanged() {
            return new To(Set.of(), true, false);
        }

        static To of(BayStatus status) {
            return new To(EnumSet.of(status), false, false);
        }

        static To oneOf(Set<BayStatus> statuses) {
            return new To(statuses, false, false);
        }

        static To removed() {
            return new To(EnumSet.of(BayStatus.DELETE_COMPLETE), false, true);
        }

        /** The one status it leads to, or null when the caller picks it (or it keeps the status). */
        public BayStatus fixed() {
            return !same && allowed.size() == 1 ? allowed.iterator().next() : null;
        }
    }

    /** Named sets of statuses. */
    public static final class Statuses {
        /** Statuses a bay may be updated from. */
        public static final Set<BayStatus> UPDATABLE = EnumSet.of(BayStatus.CREATE_COMPLETE, BayStatus.UPDATE_COMPLETE,
                BayStatus.RESUME_COMPLETE, BayStatus.RESTORE_COMPLETE, BayStatus.ROLLBACK_COMPLETE,
                BayStatus.SNAPSHOT_COMPLETE, BayStatus.CHECK_COMPLETE, BayStatus.ADOPT_COMPLETE);
        /**
         * Where a cluster's resize action may start: the updatable ones and UPDATE_FAILED, so that a failed
         * scale can be recovered by resizing again (as Magnum's resize allows; a PATCH does not).
         */
        public static final Set<BayStatus> RESIZABLE = union(UPDATABLE, EnumSet.of(BayStatus.UPDATE_FAILED));
        public static final Set<BayStatus> IN_PROGRESS = filter(BayStatus::inProgress);
        /** Where nothing is under way: every status but the in-progress ones (and the bay is not being deleted). */
        public static final Set<BayStatus> SETTLED = filter(s -> !s.inProgress() && s != BayStatus.DELETE_COMPLETE);
        /** What a finished operation in Heat leads to; DELETE_COMPLETE removes the bay instead. */
        public static final Set<BayStatus> COMPLETED = filter(s -> s.complete() && s != BayStatus.DELETE_COMPLETE);
        public static final Set<BayStatus> FAILED = filter(s -> s.name().endsWith("_FAILED"));

        private static Set<BayStatus> union(Set<BayStatus> a, Set<BayStatus> b) {
            EnumSet<BayStatus> all = EnumSet.copyOf(a);
            all.addAll(b);
            return java.util.Collections.unmodifiableSet(all);
        }

        private static Set<BayStatus> filter(java.util.function.Predicate<BayStatus> p) {
            EnumSet<BayStatus> s = EnumSet.noneOf(BayStatus.class);
            Arrays.stream(BayStatus.values()).filter(p).forEach(s::add);
            return java.util.Collections.unmodifiableSet(s);
        }

        private Statuses() {
        }
    }

    private final Set<BayStatus> from;
    private final Pending pending;
    private final Stack stack;
    private final To to;
    private final Set<Write> writes;
    private final String event;
    private final boolean asRead;

    BayTransition(Set<BayStatus> from, Pending pending, Stack stack, To to, Set<Write> writes, String event,
            boolean asRead) {
        this.from = java.util.Collections.unmodifiableSet(EnumSet.copyOf(from));
        this.pending = pending;
        this.stack = stack;
        this.to = to;
        this.writes = writes.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(writes));
        this.event = event;
        this.asRead = asRead;
    }

    public Set<BayStatus> from() {
        return from;
    }

    public Pending pending() {
        return pending;
    }

    public Stack stack() {
        return stack;
    }

    public To to() {
        return to;
    }

    public Set<Write> writes() {
        return writes;
    }

    /** The kind of bay event the transition records, or null. */
    public String event() {
        return event;
    }

    /** Whether the bay must still be in the status the caller read ({@link BayChange#expected()}): Heat's mirrored onto it. */
    public boolean asRead() {
        return asRead;
    }

    /** Whether a bay in this state may take the transition (the guard, the create claim aside). */
    public boolean allows(BayStatus status, PendingOp op, boolean hasStack) {
        boolean opOk = switch (pending) {
            case NONE -> op == null;
            case UPDATE -> op == PendingOp.UPDATE;
            case DELETE -> op == PendingOp.DELETE;
            case ANY -> true;
        };
        boolean stackOk = switch (stack) {
            case ABSENT -> !hasStack;
            case PRESENT -> hasStack;
            case ANY -> true;
        };
        return from.contains(status) && opOk && stackOk;
    }

    /**
     * The status the bay takes: the fixed one, the caller's pick when it is one the transition allows,
     * or the one it has. Throws for a pick the transition does not allow: a bug of the caller's.
     */
    public BayStatus target(BayStatus current, BayStatus picked) {
        if (to.same()) {
            return current;
        }
        BayStatus fixed = to.fixed();
        if (fixed != null) {
            return fixed;
        }
        if (picked == null || !to.allowed().contains(picked)) {
            throw new IllegalArgumentException(name() + " cannot lead to " + picked);
        }
        return picked;
    }

    /** Whether the bay's notification (an operation starts, ends or fails) goes with the change to {@code status}. */
    public boolean notifies(BayStatus status) {
        return event != null && (BayEvent.ACCEPTED.equals(event) || (BayEvent.STATUS.equals(event) && !status.inProgress()))
                || to.removes();
    }

    private static Set<BayStatus> set(BayStatus first, BayStatus... rest) {
        return EnumSet.of(first, rest);
    }

    private static Set<Write> of(Write... writes) {
        return writes.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(writes));
    }
}
