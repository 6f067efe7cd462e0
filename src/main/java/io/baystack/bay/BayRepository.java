package io.baystack.bay;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.baystack.api.Idents;
import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.baystack.keystone.Caller;
import io.baystack.observability.BayLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * Bays in PostgreSQL. The conductor and the reconciler never overwrite each other: each update
 * names the state it expects (no stack yet, or the status it read) and changes nothing otherwise.
 * Every write that changes a bay's status logs it here, once ({@link BayLog#statusChanged}).
 */
@ApplicationScoped
@WithSession
public class BayRepository implements PanacheRepository<Bay> {

    /** The sort keys of bay lists; the same for clusters under their names. */
    public static final Paging<Bay> PAGING = new Paging<>(b -> b.id,
            new Paging.Key<>("id", "id", b -> b.id),
            new Paging.Key<>("uuid", "uuid", b -> b.uuid),
            new Paging.Key<>("name", "name", b -> b.name),
            new Paging.Key<>("baymodel_id", "baymodelId", b -> b.baymodelId),
            new Paging.Key<>("cluster_template_id", "baymodelId", b -> b.baymodelId),
            new Paging.Key<>("node_count", "nodeCount", b -> b.nodeCount),
            new Paging.Key<>("master_count", "masterCount", b -> b.masterCount),
            new Paging.Key<>("status", "status", b -> b.status),
            new Paging.Key<>("bay_create_timeout", "createTimeout", b -> b.createTimeout),
            new Paging.Key<>("create_timeout", "createTimeout", b -> b.createTimeout),
            new Paging.Key<>("created_at", "createdAt", b -> b.createdAt));

    /** Every state change written here is also recorded as the bay's event, in the same transaction. */
    @Inject
    BayEventRepository events;
    @Inject
    io.baystack.notify.NotificationOutbox notifications;

    /** Stores a bay just accepted, with its first event. */
    @WithTransaction
    public Uni<Bay> accept(Bay bay) {
        return persistAndFlush(bay).call(events::accepted);
    }

    /** One page of the bays of {@code project} (null: every project); the marker must be one of them (else 404). */
    public Uni<List<Bay>> list(String project, Paging.Page page, Noun noun) {
        Parameters params = project == null ? new Parameters() : Parameters.with("project", project);
        return PAGING.list(this, project == null ? "1 = 1" : "projectId = :project", params, page, noun);
    }


    /**
     * The bay the caller may see with this uuid or name: their project's, or any for an admin.
     * 404 when none, 409 when a name is shared.
     */
    public Uni<Bay> findVisible(String ident, Caller caller, Noun noun) {
        Idents.check(ident, noun);
        String field = Idents.isUuid(ident) ? "uuid" : "name";
        Parameters params = Parameters.with("ident", ident);
        String where = field + " = :ident";
        if (!caller.isAdmin()) {
            where = "projectId = :project and " + where;
            params.and("project", caller.projectId());
        }
        return find(where + " order by id", params).page(0, 2).list()
                .map(found -> Idents.single(found, noun.singular(), ident, noun.plural()));
    }

    public Uni<Bay> findByUuid(String uuid) {
        return find("uuid", uuid).firstResult();
    }

    /**
     * Bays with work for the Heat function that are due: accepted without a stack yet, or an update
     * or delete not yet sent to Heat; due when their backoff ({@code retryAt}) is over, or, never
     * tried and failed, when nobody has touched them since {@code before}.
     */
    public Uni<List<Bay>> awaitingHeat(Instant now, Instant before, int limit) {
        return find("((status = :status and stackId is null) or pendingOp is not null)"
                + " and (retryAt < :now or (retryAt is null and coalesce(updatedAt, createdAt) < :before))"
                + " order by coalesce(retryAt, updatedAt, createdAt), id",
                Parameters.with("status", BayStatus.CREATE_IN_PROGRESS).and("before", before).and("now", now))
                .page(0, limit).list();
    }

    /** Bays whose stack Heat is working on (what is still to be sent to Heat is the redrive's). */
    public Uni<List<Bay>> inProgressWithStack(int limit) {
        return find("status in :statuses and stackId is not null and pendingOp is null order by updatedAt nulls first, id",
                Parameters.with("statuses", List.of(BayStatus.CREATE_IN_PROGRESS, BayStatus.UPDATE_IN_PROGRESS,
                        BayStatus.DELETE_IN_PROGRESS, BayStatus.ROLLBACK_IN_PROGRESS))).page(0, limit).list();
    }

    /** The names of the statuses of an operation in progress, for native queries. */
    private static final List<String> IN_PROGRESS_NAMES = Arrays.stream(BayStatus.values())
            .filter(BayStatus::inProgress).map(Enum::name).toList();

    /**
     * Bays with a stack that ended (a status not in progress) after {@code since} and whose last stored
     * stack event from Heat is not that status: the look of the round that saw them end failed, so
     * their final progress and Heat's last events are missing. A bay baystack itself failed without
     * Heat's word (a lost stack) shows here too until the window passes; the caller bounds the number.
     */
    public Uni<List<Bay>> endedWithoutLastLook(Instant since, int limit) {
        // a native query: the correlated "last stack event" is plain SQL
        return Panache.getSession().chain(s -> s.createNativeQuery("select b.* from bay b where b.stack_id is not null"
                + " and b.pending_op is null and b.status not in (:running) and b.updated_at > :since"
                + " and b.status <> coalesce((select e.status from bay_event e where e.bay_id = b.id and e.source = :heat"
                + " and e.kind = :stack order by e.id desc limit 1), '') order by b.updated_at limit :limit", Bay.class)
                .setParameter("since", since)
                .setParameter("running", IN_PROGRESS_NAMES)
                .setParameter("heat", BayEvent.HEAT).setParameter("stack", BayEvent.STACK)
                .setParameter("limit", limit).getResultList());
    }

    /**
     * Claims the right to create the bay's stack until {@code until}: true for one caller at a time,
     * and only while the bay still waits for its stack.
     */
    @WithTransaction
    public Uni<Boolean> claimCreate(long id, Instant now, Instant until) {
        return write("createClaimUntil = ?1 where id = ?2 and stackId is null and status = ?3"
                + " and (createClaimUntil is null or createClaimUntil < ?4)",
                until, id, BayStatus.CREATE_IN_PROGRESS, now).map(n -> n == 1);
    }

    /** Gives the claim back early (the create failed in a way worth retrying soon). */
    @WithTransaction
    public Uni<Void> releaseCreate(long id) {
        return write("createClaimUntil = null where id = ?1", id).replaceWithVoid();
    }

    /** Records the stack Heat accepted; false when the bay already had one. */
    @WithTransaction
    public Uni<Boolean> recordStack(long id, String stackId) {
        String reason = "Stack " + stackId + " accepted by Heat";
        return noted(write("stackId = ?1, statusReason = ?2, updatedAt = ?3, heatAttempts = 0, retryAt = null"
                + " where id = ?4 and stackId is null",
                stackId, reason, Instant.now(), id), id, BayEvent.HANDED_TO_HEAT, BayStatus.CREATE_IN_PROGRESS, reason);
    }

    /** Heat refused to create the stack for good: the bay fails with Heat's reason. */
    @WithTransaction
    public Uni<Boolean> failBeforeStack(long id, String reason) {
        return recordedStatus(BayEvent.STATUS, reason, id, BayStatus.CREATE_FAILED, reason,
                "status = ?1, statusReason = ?2, updatedAt = ?3,"
                + " heatAttempts = 0, retryAt = null where id = ?4 and stackId is null and status = ?5",
                BayStatus.CREATE_FAILED, reason, Instant.now(), id, BayStatus.CREATE_IN_PROGRESS);
    }

    /**
     * Says what the hand-off is waiting for; the bay stays in progress, counts the failed try and is
     * handed over again from {@code retryAt} on.
     */
    @WithTransaction
    public Uni<Boolean> noteWaiting(long id, String reason, Instant retryAt) {
        return noted(write("statusReason = ?1, updatedAt = ?2, heatAttempts = heatAttempts + 1, retryAt = ?5"
                + " where id = ?3 and stackId is null and status = ?4",
                reason, Instant.now(), id, BayStatus.CREATE_IN_PROGRESS, retryAt),
                id, BayEvent.WAITING_FOR_HEAT, BayStatus.CREATE_IN_PROGRESS, reason);
    }

    /** Mirrors Heat's status if the bay is still in the status the reconciler read. */
    @WithTransaction
    public Uni<Boolean> mirror(long id, BayStatus expected, BayStatus status, String reason) {
        return recordedStatus(BayEvent.STATUS, reason, id, status, reason,
                "status = ?1, statusReason = ?2, updatedAt = ?3 where id = ?4 and status = ?5",
                status, reason, Instant.now(), id, expected);
    }

    /** Mirrors a completed stack: status, reason and the addresses from its outputs. */
    @WithTransaction
    public Uni<Boolean> complete(long id, BayStatus expected, BayStatus status, String reason, String apiAddress,
            List<String> masters, List<String> nodes) {
        return mirrorLoaded(id, expected, status, reason, bay -> {
            bay.apiAddress = apiAddress;
            bay.masterAddresses = masters;
            bay.nodeAddresses = nodes;
        });
    }

    /**
     * Accepts a new node_count: UPDATE_IN_PROGRESS with the update pending for the Heat function,
     * only if the bay is still in a status it may be updated from and has nothing else pending.
     */
    @WithTransaction
    public Uni<Boolean> requestUpdate(long id, BayStatus expected, int nodeCount, String minionsToRemove,
            String traceParent) {
        return recordedStatus(BayEvent.ACCEPTED, "Update to node_count " + nodeCount + " accepted; waiting for the Heat function",
                id, BayStatus.UPDATE_IN_PROGRESS, "node_count " + nodeCount + " accepted",
                "nodeCount = ?1, status = ?2, statusReason = ?3, pendingOp = ?4, updatedAt = ?5,"
                + " minionsToRemove = ?8, heatAttempts = 0, retryAt = null, traceParent = ?9"
                + " where id = ?6 and status = ?7 and pendingOp is null",
                nodeCount, BayStatus.UPDATE_IN_PROGRESS, "Accepted; waiting for the Heat function", PendingOp.UPDATE,
                Instant.now(), id, expected, minionsToRemove, traceParent);
    }

    /** Accepts a delete: DELETE_IN_PROGRESS with the delete pending (it replaces an unsent update). */
    @WithTransaction
    public Uni<Boolean> requestDelete(long id, String traceParent) {
        return recordedStatus(BayEvent.ACCEPTED, "Delete accepted; waiting for the Heat function",
                id, BayStatus.DELETE_IN_PROGRESS, "delete accepted",
                "status = ?1, statusReason = ?2, pendingOp = ?3, updatedAt = ?4, heatAttempts = 0, retryAt = null,"
                + " traceParent = ?6 where id = ?5 and (status <> ?1 or pendingOp is not null)",
                BayStatus.DELETE_IN_PROGRESS, "Accepted; waiting for the Heat function", PendingOp.DELETE,
                Instant.now(), id, traceParent);
    }

    /** Heat accepted the pending operation: clear it, remember the stack's mark. */
    @WithTransaction
    public Uni<Boolean> sentToHeat(long id, PendingOp op, String mark, String reason) {
        return noted(write("pendingOp = null, minionsToRemove = null, stackMark = ?1, statusReason = ?2, updatedAt = ?3,"
                + " heatAttempts = 0, retryAt = null where id = ?4 and pendingOp = ?5",
                mark, reason, Instant.now(), id, op), id, BayEvent.HANDED_TO_HEAT, inProgress(op), reason);
    }

    /** Says what a pending operation waits for; it stays pending and is redriven from {@code retryAt} on. */
    @WithTransaction
    public Uni<Boolean> notePendingWaiting(long id, PendingOp op, String reason, Instant retryAt) {
        return noted(write("statusReason = ?1, updatedAt = ?2, heatAttempts = heatAttempts + 1, retryAt = ?5"
                + " where id = ?3 and pendingOp = ?4",
                reason, Instant.now(), id, op, retryAt), id, BayEvent.WAITING_FOR_HEAT, inProgress(op), reason);
    }

    /** Heat refused the pending operation for good: the bay takes the failure status with Heat's reason. */
    @WithTransaction
    public Uni<Boolean> failPending(long id, PendingOp op, BayStatus failed, String reason) {
        return recordedStatus(BayEvent.STATUS, reason, id, failed, reason,
                "pendingOp = null, status = ?1, statusReason = ?2, updatedAt = ?3,"
                + " heatAttempts = 0, retryAt = null where id = ?4 and pendingOp = ?5",
                failed, reason, Instant.now(), id, op);
    }

    /** Removes a bay being deleted; {@code withoutStack} also requires that no stack was ever recorded. */
    @WithTransaction
    public Uni<Boolean> removeDeleted(long id, boolean withoutStack) {
        return before(id).chain(before -> notifications.deleteNotifying(id, withoutStack).map(n -> {
                    if (n == 1) {
                        logChange(before, "DELETED", withoutStack ? "removed (it had no stack)" : "removed");
                    }
                    return n == 1;
                }));
    }

    /** Mirrors a failure of Heat's, with the failed resources. */
    @WithTransaction
    public Uni<Boolean> fail(long id, BayStatus expected, BayStatus status, String reason, Map<String, String> faults) {
        return mirrorLoaded(id, expected, status, reason, bay -> bay.faults = faults);
    }

    /** {clusters, nodes (masters + minions)} of one project, or of all when {@code projectId} is null. */
    public Uni<long[]> stats(String projectId) {
        String where = projectId == null ? "" : " where projectId = :p";
        return getSession().chain(s -> {
            var q = s.createSelectionQuery("select count(*), coalesce(sum(nodeCount + masterCount), 0) from Bay" + where,
                    Object[].class);
            if (projectId != null) {
                q.setParameter("p", projectId);
            }
            return q.getSingleResult();
        }).map(row -> new long[] { ((Number) row[0]).longValue(), ((Number) row[1]).longValue() });
    }

    /** How many bays one status has, and how many of those wait for Heat to take a change. */
    public record StatusCount(long bays, long awaitingHeat) {
    }

    /**
     * The bays per status (for the metrics), in one grouped count; "awaiting Heat" is what
     * {@link #awaitingHeat} hands over, due or not: accepted without a stack, or an update or delete unsent.
     */
    public Uni<Map<BayStatus, StatusCount>> countByStatus() {
        return getSession().chain(s -> s.createSelectionQuery("select status, count(*), sum(case when"
                + " (status = :creating and stackId is null) or pendingOp is not null then 1 else 0 end)"
                + " from Bay group by status", Object[].class)
                .setParameter("creating", BayStatus.CREATE_IN_PROGRESS).getResultList())
                .map(rows -> {
                    Map<BayStatus, StatusCount> counts = new EnumMap<>(BayStatus.class);
                    for (Object[] row : rows) {
                        counts.put((BayStatus) row[0], new StatusCount(((Number) row[1]).longValue(),
                                row[2] == null ? 0 : ((Number) row[2]).longValue()));
                    }
                    return counts;
                });
    }

    /** Whether {@code e} says a bay changed between its read and its write (the optimistic lock). */
    public static boolean isStale(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException || t instanceof org.hibernate.StaleStateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Heat's status on the loaded bay, with {@code more} of its fields, if it is still in {@code expected};
     * recorded as its status event in the same transaction. True when it changed.
     */
    private Uni<Boolean> mirrorLoaded(long id, BayStatus expected, BayStatus status, String reason,
            Consumer<Bay> more) {
        return findById(id).map(bay -> {
            if (bay == null || bay.status != expected) {
                return false;
            }
            bay.status = status;
            bay.statusReason = reason;
            more.accept(bay);
            bay.updatedAt = Instant.now();
            BayLog.statusChanged(bay.uuid, expected, status, reason);
            return true;
        }).call(ok -> events.record(ok, id, BayEvent.STATUS, status, reason));
    }

    /** {@link #writeStatus}, the change recorded as the bay's event {@code kind} in the write's transaction. */
    private Uni<Boolean> recordedStatus(String kind, String eventReason, long id, BayStatus to, String logReason,
            String setAndWhere, Object... params) {
        return writeStatus(id, to, logReason, setAndWhere, params)
                .call(changed -> events.record(changed, id, kind, to, eventReason));
    }

    /** A write that changed the bay (one row) is recorded as its event, in the write's transaction. */
    private Uni<Boolean> noted(Uni<Integer> written, long id, String kind, BayStatus status, String reason) {
        return written.map(n -> n == 1).call(changed -> events.record(changed, id, kind, status, reason));
    }

    private static BayStatus inProgress(PendingOp op) {
        return op == PendingOp.DELETE ? BayStatus.DELETE_IN_PROGRESS : BayStatus.UPDATE_IN_PROGRESS;
    }

    /** A bulk update that bumps the optimistic lock, as every write of a bay must. */
    private Uni<Integer> write(String setAndWhere, Object... params) {
        return update("version = version + 1, " + setAndWhere, params);
    }

    /** {@link #write} of one bay that may change its status to {@code to}; true when it wrote. */
    private Uni<Boolean> writeStatus(long id, BayStatus to, String reason, String setAndWhere, Object... params) {
        return before(id).chain(before -> write(setAndWhere, params).map(n -> {
            if (n == 1) {
                logChange(before, to, reason);
            }
            return n == 1;
        }));
    }

    /** The bay's uuid and status before a write, for its log line (in the write's transaction). */
    private Uni<Object[]> before(long id) {
        return getSession().chain(s -> s.createSelectionQuery("select uuid, status from Bay where id = :id", Object[].class)
                .setParameter("id", id).getSingleResultOrNull());
    }

    private static void logChange(Object[] before, Object to, String reason) {
        if (before != null && before[1] != to) {
            BayLog.statusChanged((String) before[0], before[1], to, reason);
        }
    }

    /** Marks bays as just handed over (the redrive waits redrive-after before handing them again). */
    @WithTransaction
    public Uni<Void> touch(List<Long> ids) {
        return write("updatedAt = ?1, retryAt = null where id in ?2", Instant.now(), ids).replaceWithVoid();
    }
}
