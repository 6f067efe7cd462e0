package io.baystack.bay;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.Idents;
import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.baystack.db.NativeSelects;
import io.baystack.keystone.Caller;
import io.baystack.observability.BayLog;
import io.baystack.quota.Quota;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * Bays in PostgreSQL. A stored bay changes only through {@link #apply}, one {@link BayTransition} at
 * a time, each a compare-and-set on the row: writers never overwrite each other. Times that several
 * processes compare (claims, due times) are the database's clock.
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

    /** The queries every round runs, as SQL (RoundQueriesTest checks that indexes serve them). */
    static final String AWAITING_HEAT = "select * from bay where ((status = 'CREATE_IN_PROGRESS' and stack_id is null)"
            + " or pending_op is not null) and (retry_at < clock_timestamp() or (retry_at is null"
            + " and coalesce(updated_at, created_at) < clock_timestamp() - make_interval(secs => :after)))"
            + " and " + NativeSelects.uncached("id")
            + " order by coalesce(retry_at, updated_at, created_at), id limit :limit";
    static final String IN_PROGRESS = "select b.*, p.updated_at as measured_at from bay b left join bay_progress p"
            + " on p.bay_id = b.id where b.stack_id is not null and b.pending_op is null and b.status in ("
            + "'CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS')"
            + " and " + NativeSelects.uncached("b.id")
            + " order by b.synced_at nulls first, b.id limit :limit";
    static final String ENDED_WITHOUT_LAST_LOOK = "select b.* from bay b where"
            + " b.updated_at > clock_timestamp() - make_interval(secs => :window) and b.stack_id is not null"
            + " and b.pending_op is null and b.status not in (:running)"
            + " and b.status <> coalesce((select e.status from bay_event e where e.bay_id = b.id and e.source = :heat"
            + " and e.kind = :stack order by e.id desc limit 1), '') order by b.updated_at limit :limit";

    /** What {@link #apply} did: whether the bay took the transition, and its status before and after. */
    public record Applied(boolean changed, String uuid, BayStatus from, BayStatus to) {
        static final Applied NOTHING = new Applied(false, null, null, null);
    }

    /**
     * A bay whose stack Heat is working on, with when its progress was last measured (null: never) and
     * the database's time as it was read: both on the database's clock, so whether a look is due does
     * not depend on the clock of the process that asks.
     */
    public record InProgress(Bay bay, Instant measuredAt, Instant now) {
    }

    /** A bay just stored, how many bays its project has now (this one included) and its own cluster quota (or null). */
    public record Accepted(Bay bay, long projectBays, Integer clusterQuota) {
    }

    /**
     * Stores a bay just accepted, with its first event and its create.start notification, in the
     * caller's transaction; two statements. The second also counts the bay into its project's row of
     * {@code project_bay_count}, last, so that the row's lock (held to the commit: it is what keeps two
     * creates from both taking a project's last place) is held as briefly as can be; and reads the quota.
     */
    public Uni<Accepted> accept(Bay bay) {
        return persistAndFlush(bay).chain(stored -> Panache.getSession().chain(s -> s.createNativeQuery(
                // created_at on the database's clock, as every time processes compare (the redrive's due
                // time counts from it): a process whose clock is ahead would otherwise hold its bays back.
                // The id is bound as a list: see NativeSelects
                "with b as (select * from bay where id in (:id)), stamped as (update bay set created_at = clock_timestamp()"
                        + " where id in (:id)), event as (insert into bay_event (uuid, bay_id, source, kind,"
                        + " status, reason, event_time) select :event_uuid, b.id, :source, :kind, b.status, b.status_reason,"
                        + " clock_timestamp() from b), note as (" + NotificationOutbox.insertFrom("b", "b.status") + "),"
                        + " counted as (insert into project_bay_count as c (project_id, bays) select b.project_id, 1 from b"
                        + " on conflict (project_id) do update set bays = c.bays + 1 returning c.bays)"
                        + " select c.bays, (select q.hard_limit from quota q, b where q.project_id = b.project_id"
                        + " and q.resource = :quota_resource) from counted c", Object[].class)
                .setParameter("id", List.of(stored.id)).setParameter("event_uuid", UUID.randomUUID().toString())
                .setParameter("source", BayEvent.BAYSTACK).setParameter("kind", BayEvent.ACCEPTED)
                .setParameter("note_id", UUID.randomUUID().toString())
                .setParameter("note_type", NotificationOutbox.typeOf(stored.status.name()))
                .setParameter("quota_resource", Quota.CLUSTER)
                .getSingleResult()).map(row -> new Accepted(stored, ((Number) row[0]).longValue(),
                        row[1] == null ? null : ((Number) row[1]).intValue())));
    }

    /**
     * Applies {@code transition} to bay {@code id} with the values of {@code change}, in one statement
     * and its own transaction: the row, the event and the notification together or not at all. A
     * status change is logged once committed. Nothing happens (changed false) when the bay is gone or
     * not in a state the transition may be taken from.
     */
    public Uni<Applied> apply(BayTransition transition, long id, BayChange change) {
        TransitionStatement.Sql sql = TransitionStatement.of(transition, id, change);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> {
            var q = s.createNativeQuery(sql.text(), Object[].class);
            sql.params().forEach(q::setParameter);
            return q.getResultList();
        })).map(rows -> rows.isEmpty() ? Applied.NOTHING
                : new Applied(true, (String) rows.get(0)[0], BayStatus.valueOf((String) rows.get(0)[1]),
                        BayStatus.valueOf((String) rows.get(0)[2])))
                .invoke(applied -> {
                    if (applied.changed() && applied.from() != applied.to()) {
                        BayLog.statusChanged(applied.uuid(), applied.from(),
                                transition.to().removes() ? "DELETED" : applied.to(), change.told());
                    }
                });
    }

    /** One page of the bays of {@code project} (null: every project); the marker must be one of them (else 404). */
    public Uni<List<Bay>> list(String project, Paging.Page page, Noun noun) {
        Parameters params = project == null ? new Parameters() : Parameters.with("project", project);
        return PAGING.list(this, project == null ? "1 = 1" : "projectId = :project", params, page, noun);
    }

    /** As {@link #list}, the summary columns only. */
    public Uni<List<BayListing>> listSummaries(String project, Paging.Page page, Noun noun) {
        Parameters params = project == null ? new Parameters() : Parameters.with("project", project);
        return PAGING.list(this, project == null ? "1 = 1" : "projectId = :project", params, page, noun, BayListing.class);
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
     * or delete not yet sent to Heat; due when their backoff or last hand-over ({@code retry_at}) is
     * over, or, never handed over again, {@code after} their last change. Oldest first.
     */
    public Uni<List<Bay>> awaitingHeat(Duration after, int limit) {
        // bay_awaiting_heat_idx serves it (its predicate is this one's, so the literal, not a parameter)
        return Panache.getSession().chain(s -> NativeSelects.bind(s.createNativeQuery(AWAITING_HEAT, Bay.class))
                .setParameter("after", after.toMillis() / 1000.0).setParameter("limit", limit).getResultList());
    }

    /**
     * Marks bays as just handed over again: not due before {@code after} from now. No transition: the
     * bay does not change for its readers (neither updated_at nor its version move).
     */
    public Uni<Void> markRedriven(List<Long> ids, Duration after) {
        return ids.isEmpty() ? Uni.createFrom().voidItem() : Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery("update bay set retry_at = clock_timestamp() + make_interval(secs => :after)"
                        + " where id in (:ids)").setParameter("after", after.toMillis() / 1000.0)
                        .setParameter("ids", ids).executeUpdate())).replaceWithVoid();
    }

    /**
     * Bays whose stack Heat is working on (what is still to be sent to Heat is the redrive's), those
     * looked at longest ago first: with {@link #markSynced} every one is looked at within
     * ceil(bays / limit) rounds, however many there are.
     */
    public Uni<List<InProgress>> inProgressWithStack(int limit) {
        // bay_in_progress_sync_idx serves it; the statuses are literals so that its predicate matches
        return Panache.getSession().chain(s -> NativeSelects.bind(s.createNativeQuery(IN_PROGRESS.replace(
                "b.*, p.updated_at as measured_at", "b.id"), Long.class)).setParameter("limit", limit).getResultList()
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<Object[]>of())
                        : s.createSelectionQuery("select b, p.updatedAt, current_instant from Bay b left join BayProgress p"
                                + " on p.bayId = b.id where b.id in :ids", Object[].class).setParameter("ids", ids).getResultList()
                                .map(rows -> {
                                    // back in the sync's order
                                    java.util.Map<Long, Object[]> byId = new java.util.HashMap<>();
                                    rows.forEach(r -> byId.put(((Bay) r[0]).id, r));
                                    return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
                                })))
                .map(rows -> rows.stream().map(r -> new InProgress((Bay) r[0], (Instant) r[1], (Instant) r[2])).toList());
    }

    /**
     * The bay whose stack Heat is working on under this stack id, as {@link #inProgressWithStack} gives
     * it; null when none is (another's stack, a nested one, a bay already final or with work unsent).
     */
    public Uni<InProgress> inProgressOnStack(String stackId) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("select b, p.updatedAt, current_instant from Bay b left join"
                + " BayProgress p on p.bayId = b.id where b.stackId = :stack and b.pendingOp is null"
                + " and b.status in :running", Object[].class).setParameter("stack", stackId)
                .setParameter("running", BayTransition.Statuses.IN_PROGRESS).setMaxResults(1).getResultList())
                .map(rows -> rows.isEmpty() ? null
                        : new InProgress((Bay) rows.get(0)[0], (Instant) rows.get(0)[1], (Instant) rows.get(0)[2]));
    }

    /** Whether a bay is still to record its stack under this name (Heat's answer to its create not stored yet). */
    public Uni<Boolean> awaitsStackNamed(String stackName) {
        return count("stackName = ?1 and stackId is null and status = ?2", stackName, BayStatus.CREATE_IN_PROGRESS)
                .map(n -> n > 0);
    }

    /** Notes that the round looked at these bays (for {@link #inProgressWithStack}'s order); no transition. */
    public Uni<Void> markSynced(List<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().voidItem() : Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery("update bay set synced_at = clock_timestamp() where id in (:ids)")
                        .setParameter("ids", ids).executeUpdate())).replaceWithVoid();
    }

    /**
     * Bays with a stack that ended (a status not in progress) within {@code window} and whose last stored
     * stack event from Heat is not that status: the look of the round that saw them end failed, so
     * their final progress and Heat's last events are missing. A bay baystack itself failed without
     * Heat's word (a lost stack) shows here too until the window passes; the caller bounds the number.
     */
    public Uni<List<Bay>> endedWithoutLastLook(Duration window, int limit) {
        // a native query: the correlated "last stack event" is plain SQL; bay(updated_at) serves the window
        return Panache.getSession().chain(s -> s.createNativeQuery(ENDED_WITHOUT_LAST_LOOK, Bay.class)
                .setParameter("window", (double) window.toSeconds())
                .setParameter("running", BayTransition.Statuses.IN_PROGRESS.stream().map(Enum::name).toList())
                .setParameter("heat", BayEvent.HEAT).setParameter("stack", BayEvent.STACK)
                .setParameter("limit", limit).getResultList());
    }

    /**
     * Finished bays with an API address whose health was never checked or not for {@code everySeconds}
     * (the database's clock), the longest unchecked first; nothing pending on them.
     */
    public Uni<List<Bay>> healthDue(long everySeconds, int limit) {
        return getSession().chain(s -> s.createNativeQuery("select * from bay where api_address is not null and pending_op is null"
                + " and stack_id is not null and status in (:done) and (health_checked_at is null"
                + " or health_checked_at < clock_timestamp() - make_interval(secs => :every))"
                + " order by health_checked_at nulls first, id limit :limit", Bay.class)
                .setParameter("done", BayTransition.Statuses.COMPLETED.stream().map(Enum::name).toList())
                .setParameter("every", (double) everySeconds).setParameter("limit", limit).getResultList());
    }

    /** {clusters, nodes (masters + minions)} of one project, or of all when {@code projectId} is null. */
    public Uni<long[]> stats(String projectId) {
        String where = projectId == null ? "" : " where projectId = :p";
        return getSession().chain(s -> {
            var q = s.createSelectionQuery("select count(*), coalesce(sum(nodeCount + groupNodes + masterCount), 0) from Bay" + where,
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
}
