package io.baystack.bay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.baystack.api.JsonColumns;
import io.baystack.bay.BayTransition.Write;

/**
 * The one SQL statement that applies a {@link BayTransition} to one bay: the guard and the
 * compare-and-set, the writes, the event and the notification, all or nothing. Times are the
 * database's clock, so processes with skewed clocks agree on claims and due times.
 */
final class TransitionStatement {

    /** The SQL and its parameters. */
    record Sql(String text, Map<String, Object> params) {
    }

    private static final JsonColumns.StringList LIST = new JsonColumns.StringList();
    private static final JsonColumns.StringMap MAP = new JsonColumns.StringMap();

    private TransitionStatement() {
    }

    /**
     * The statement for {@code t} on bay {@code id} whose current status the caller does not need to
     * know; it returns one row (uuid, status before, status after) when the bay took the transition.
     */
    static Sql of(BayTransition t, long id, BayChange c) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("from", t.from().stream().map(Enum::name).toList());
        StringBuilder guard = new StringBuilder("id = :id and status in (:from)");
        switch (t.pending()) {
            case NONE -> guard.append(" and pending_op is null");
            case UPDATE -> guard.append(" and pending_op = '").append(PendingOp.UPDATE.name()).append('\'');
            case DELETE -> guard.append(" and pending_op = '").append(PendingOp.DELETE.name()).append('\'');
            case ANY -> { }
        }
        switch (t.stack()) {
            case ABSENT -> guard.append(" and stack_id is null");
            case PRESENT -> guard.append(" and stack_id is not null");
            case ANY -> { }
        }
        if (t.asRead()) {
            guard.append(" and status = :expected");
            p.put("expected", c.expected().name());
        }
        if (t.writes().contains(Write.CLAIM)) {
            guard.append(" and (create_claim_until is null or create_claim_until < clock_timestamp())");
        }
        if (t.writes().contains(Write.TRUST_REPLACED)) {
            guard.append(" and trust_id is not distinct from cast(:old_trust_id as varchar)");
            p.put("old_trust_id", c.oldTrustId);
        }
        if (t.writes().contains(Write.TRUST)) {
            guard.append(" and trust_id is null");
        }
        if (t.to().removes()) {
            return removal(t, guard, p);
        }

        List<String> sets = new ArrayList<>(List.of("version = b.version + 1"));
        boolean visible = t.event() != null;
        if (visible) {
            sets.add("updated_at = clock_timestamp()");
        }
        if (!t.to().same()) {
            // the caller's pick is checked against the table before anything is sent
            BayStatus to = t.target(null, c.status());
            sets.add("status = :to");
            p.put("to", to.name());
        }
        for (Write w : t.writes()) {
            sets.addAll(assignments(w, c, p));
        }
        StringBuilder sql = new StringBuilder("with before as (select id, status from bay where ").append(guard)
                .append(" for update), changed as (update bay b set ").append(String.join(", ", sets))
                .append(" from before where b.id = before.id returning b.*, before.status as status_before)");
        if (t.event() != null) {
            sql.append(", event as (insert into bay_event (uuid, bay_id, source, kind, status, reason, event_time)"
                    + " select :event_uuid, c.id, :source, :kind, c.status, :told, clock_timestamp() from changed c)");
            p.put("event_uuid", UUID.randomUUID().toString());
            p.put("source", BayEvent.BAYSTACK);
            p.put("kind", t.event());
            p.put("told", c.told());
        }
        if (t.writes().contains(Write.NODEGROUP)) {
            sql.append(", ").append(NodeGroupStatements.change(c.nodeGroup, p));
        }
        if (t.writes().contains(Write.NODEGROUPS_SETTLED)) {
            sql.append(", ").append(NodeGroupStatements.settle(c.groupAddresses, p));
        }
        BayStatus to = t.to().same() ? null : t.target(null, c.status());
        String type = to == null || !t.notifies(to) ? null : NotificationOutbox.typeOf(to.name());
        if (type != null) {
            sql.append(", note as (").append(NotificationOutbox.insertFrom("changed", "b.status")).append(')');
            p.put("note_id", UUID.randomUUID().toString());
            p.put("note_type", type);
        }
        sql.append(" select uuid, status_before, status from changed");
        return new Sql(sql.toString(), p);
    }

    /** Deletes the row: its events and progress go with it (on delete cascade), its delete.end notification is stored. */
    private static Sql removal(BayTransition t, StringBuilder guard, Map<String, Object> p) {
        p.put("note_id", UUID.randomUUID().toString());
        p.put("note_type", NotificationOutbox.typeOf(BayStatus.DELETE_COMPLETE.name()));
        p.put("gone_status", BayStatus.DELETE_COMPLETE.name());
        String sql = "with changed as (delete from bay where " + guard + " returning *), note as ("
                + NotificationOutbox.insertFrom("changed", "cast(:gone_status as text)") + ")"
                + " select uuid, status as status_before, cast(:gone_status as text) from changed";
        return new Sql(sql, p);
    }

    private static List<String> assignments(Write w, BayChange c, Map<String, Object> p) {
        return switch (w) {
            case CLAIM -> {
                p.put("lease", seconds(c.lease()));
                yield List.of("create_claim_until = clock_timestamp() + make_interval(secs => :lease)");
            }
            case RELEASE_CLAIM -> List.of("create_claim_until = null");
            case TRUST -> {
                p.put("trust_id", c.trustId);
                yield List.of("trust_id = :trust_id", "trustor_token = null", "trustor_roles = null",
                        "trustor_expires_at = null");
            }
            case TRUST_REPLACED -> {
                p.put("trust_id", c.trustId);
                // the trust replaced stays until the bay goes: see V20 and Bay#allTrustIds
                yield List.of("trust_id = :trust_id", "retired_trust_ids = case when trust_id is null then retired_trust_ids"
                        + " else concat_ws(',', retired_trust_ids, trust_id) end");
            }
            case TRUSTOR_DROPPED -> List.of("trustor_token = null", "trustor_roles = null", "trustor_expires_at = null");
            case STACK -> {
                p.put("stack_id", c.stackId);
                yield List.of("stack_id = :stack_id");
            }
            case REASON -> {
                p.put("reason", c.reason());
                yield List.of("status_reason = :reason");
            }
            case ATTEMPTS_RESET -> List.of("heat_attempts = 0", "retry_at = null");
            case ATTEMPT_COUNTED -> {
                p.put("retry_in", seconds(c.retryIn()));
                yield List.of("heat_attempts = b.heat_attempts + 1",
                        "retry_at = clock_timestamp() + make_interval(secs => :retry_in)");
            }
            case NODE_COUNT -> {
                p.put("node_count", c.nodeCount);
                p.put("minions", c.minionsToRemove);
                yield List.of("node_count = :node_count", "minions_to_remove = :minions");
            }
            case UPGRADE -> {
                p.put("upgrade_model", c.upgradeModel);
                p.put("upgrade_batch", c.upgradeBatch);
                yield List.of("baymodel_id = coalesce(cast(:upgrade_model as varchar), baymodel_id)",
                        "upgrade_max_batch_size = cast(:upgrade_batch as integer)");
            }
            case ROLLBACK -> {
                p.put("rollback", c.rollback);
                yield List.of("update_rollback = :rollback");
            }
            case NODE_COUNT_OBSERVED -> {
                p.put("observed", c.observedNodeCount);
                yield List.of("node_count = coalesce(cast(:observed as integer), node_count)");
            }
            case NODEGROUP -> List.of("minions_to_remove = null", NodeGroupStatements.bayAssignment(c.nodeGroup, p));
            case NODEGROUPS_SETTLED -> List.of();
            case HEALTH -> {
                p.put("health", c.healthStatus);
                p.put("health_reason", MAP.convertToDatabaseColumn(c.healthReason));
                yield List.of("health_status = :health", "health_status_reason = :health_reason",
                        "health_checked_at = clock_timestamp()");
            }
            case PENDING_UPDATE -> List.of("pending_op = '" + PendingOp.UPDATE.name() + "'");
            case PENDING_DELETE -> List.of("pending_op = '" + PendingOp.DELETE.name() + "'");
            case PENDING_CLEARED -> List.of("pending_op = null", "minions_to_remove = null");
            case TRACE -> {
                p.put("trace", c.traceParent);
                yield List.of("trace_parent = :trace");
            }
            case MARK -> {
                p.put("mark", c.mark);
                yield List.of("stack_mark = :mark");
            }
            case ADDRESSES -> {
                p.put("api", c.apiAddress);
                p.put("masters", LIST.convertToDatabaseColumn(c.masters));
                p.put("nodes", LIST.convertToDatabaseColumn(c.nodes));
                yield List.of("api_address = :api", "master_addresses = :masters", "node_addresses = :nodes");
            }
            case FAULTS -> {
                p.put("faults", MAP.convertToDatabaseColumn(c.faults));
                yield List.of("faults = :faults");
            }
        };
    }

    private static double seconds(java.time.Duration d) {
        return d.toMillis() / 1000.0;
    }
}
