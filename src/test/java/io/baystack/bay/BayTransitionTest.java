package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.baystack.runtime.FreshContext;
import io.baystack.support.FastTier;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The bay lifecycle table on real PostgreSQL, without Heat: every transition tried from every
 * state (status × pending operation × stack or none), and each either taken with exactly what its row
 * says (status, pending operation, event, notification) or refused with the bay, its events and the
 * outbox untouched. Then the rules an operator relies on, spelled out one by one. Fast tier: no round
 * and no hand-off runs there, so the rows staged here change only by this test's hand.
 */
@QuarkusTest
@FastTier
class BayTransitionTest {

    private static final PendingOp[] OPS = { null, PendingOp.UPDATE, PendingOp.DELETE };

    @Inject
    BayRepository bays;
    @Inject
    FreshContext fresh;
    @Inject
    Pool pool;

    private String model;

    @BeforeEach
    void aModel() {
        model = io.baystack.support.Staged.model(pool, "transition-test");
    }

    @Test
    void everyTransitionFromEveryStateIsTakenAsItsRowSaysOrRefusedLeavingEverythingAsItWas() {
        int taken = 0;
        int refused = 0;
        for (BayTransition t : BayTransition.values()) {
            // every state at once for this transition: staged in one statement, read back in three
            List<Object[]> states = new ArrayList<>();
            for (BayStatus status : BayStatus.values()) {
                for (PendingOp op : OPS) {
                    for (boolean stack : new boolean[] { false, true }) {
                        states.add(new Object[] { status, op, stack });
                    }
                }
            }
            List<Long> ids = stageAll(states);
            Map<Long, Map<String, Object>> before = rows(ids);
            BayStatus pick = t.to().same() ? null : t.to().allowed().iterator().next();
            Map<Long, BayRepository.Applied> applied = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                long id = ids.get(i);
                BayStatus status = (BayStatus) states.get(i)[0];
                BayChange change = BayChange.mirror(status, pick, "why " + t).stack("s" + id)
                        .lease(Duration.ofSeconds(30)).retryIn(Duration.ofSeconds(7)).nodeCount(5, null)
                        .mark("m").addresses("10.0.0.1", List.of("10.0.0.1"), List.of("10.0.0.2"))
                        // a resize of a group the bay does not have: the row alone says what is written
                        .nodeGroup(new NodeGroupChange(NodeGroupChange.Op.RESIZE, group(UUID.randomUUID().toString()), 0));
                applied.put(id, apply(t, id, change));
            }
            Map<Long, Map<String, Object>> after = rows(ids);
            Map<Long, List<String>> events = events(ids);
            Map<String, List<String>> notes = notifications(ids.stream().map(id -> (String) before.get(id).get("uuid")).toList());
            for (int i = 0; i < ids.size(); i++) {
                long id = ids.get(i);
                BayStatus status = (BayStatus) states.get(i)[0];
                PendingOp op = (PendingOp) states.get(i)[1];
                boolean stack = (boolean) states.get(i)[2];
                String what = t + " from " + status + "/" + op + "/stack=" + stack;
                boolean allowed = t.allows(status, op, stack);
                assertThat(applied.get(id).changed()).as(what).isEqualTo(allowed);
                List<String> evs = events.getOrDefault(id, List.of());
                List<String> nts = notes.getOrDefault((String) before.get(id).get("uuid"), List.of());
                if (allowed) {
                    taken++;
                    assertTaken(t, what, before.get(id), after.get(id), pick, applied.get(id), evs, nts);
                } else {
                    refused++;
                    assertThat(after.get(id)).as(what + ": the row").isEqualTo(before.get(id));
                    assertThat(evs).as(what + ": events").isEmpty();
                    assertThat(nts).as(what + ": notifications").isEmpty();
                }
            }
        }
        assertThat(taken).isPositive();
        assertThat(refused).isPositive();
    }

    private void assertTaken(BayTransition t, String what, Map<String, Object> before, Map<String, Object> after,
            BayStatus pick, BayRepository.Applied applied, List<String> events, List<String> notes) {
        BayStatus from = BayStatus.valueOf((String) before.get("status"));
        if (t.to().removes()) {
            assertThat(after).as(what + " removes the bay").isNull();
            assertThat(events).as(what + ": its events go with it").isEmpty();
            assertThat(notes).containsExactly("io.baystack.bay.delete.end");
            return;
        }
        BayStatus to = t.target(from, pick);
        assertThat(after.get("status")).as(what).isEqualTo(to.name());
        assertThat(applied.from()).isEqualTo(from);
        assertThat(applied.to()).isEqualTo(to);
        assertThat(after.get("version")).as(what).isEqualTo((Integer) before.get("version") + 1);
        Object pending = before.get("pending_op");
        if (t.writes().contains(BayTransition.Write.PENDING_UPDATE)) {
            pending = "UPDATE";
        } else if (t.writes().contains(BayTransition.Write.PENDING_DELETE)) {
            pending = "DELETE";
        } else if (t.writes().contains(BayTransition.Write.PENDING_CLEARED)) {
            pending = null;
        }
        assertThat(after.get("pending_op")).as(what + ": pending op").isEqualTo(pending);
        assertThat(events).as(what + ": events").isEqualTo(t.event() == null ? List.of() : List.of(t.event()));
        String type = t.notifies(to) ? NotificationOutbox.typeOf(to.name()) : null;
        assertThat(notes).as(what + ": notifications").isEqualTo(type == null ? List.of() : List.of(type));
    }

    @Test
    void aDeleteIsAcceptedFromAnyStatusButADeleteUnderWayAndARepeatedDeleteChangesNothing() {
        long failed = stage(BayStatus.DELETE_FAILED, null, "s");
        assertThat(apply(BayTransition.DELETE_ACCEPTED, failed, BayChange.reason("again")).changed()).isTrue();
        long creating = stage(BayStatus.CREATE_IN_PROGRESS, null, null);
        assertThat(apply(BayTransition.DELETE_ACCEPTED, creating, BayChange.reason("early")).changed()).isTrue();

        long id = stage(BayStatus.CREATE_COMPLETE, null, "s");
        assertThat(apply(BayTransition.DELETE_ACCEPTED, id, BayChange.reason("first")).changed()).isTrue();
        apply(BayTransition.DELETE_WAITING, id, BayChange.reason("Heat down").retryIn(Duration.ofMinutes(5)));
        Map<String, Object> waiting = row(id);
        assertThat(waiting.get("heat_attempts")).isEqualTo(1);

        assertThat(apply(BayTransition.DELETE_ACCEPTED, id, BayChange.reason("second")).changed()).isFalse();
        assertThat(row(id)).as("no backoff reset, nothing rewritten").isEqualTo(waiting);
        assertThat(events(id)).containsExactly(BayEvent.ACCEPTED, BayEvent.WAITING_FOR_HEAT);
        assertThat(notifications((String) waiting.get("uuid"))).containsExactly("io.baystack.bay.delete.start");
    }

    @Test
    void aTrustIsRecordedOnceAndTheCreatorsTokenGoesWithIt() {
        long id = stage(BayStatus.CREATE_IN_PROGRESS, null, null);
        withToken(id);
        assertThat(apply(BayTransition.TRUST_RECORDED, id, BayChange.trust("t-first")).changed()).isTrue();
        Map<String, Object> recorded = row(id);
        assertThat(recorded.get("trust_id")).isEqualTo("t-first");
        assertThat(recorded.get("trustor_token")).isNull();
        assertThat(recorded.get("trustor_roles")).isNull();
        assertThat(recorded.get("trustor_expires_at")).isNull();
        assertThat(events(id)).as("internal: no event").isEmpty();

        assertThat(apply(BayTransition.TRUST_RECORDED, id, BayChange.trust("t-second")).changed())
                .as("a second trust for the same bay").isFalse();
        assertThat(row(id)).isEqualTo(recorded);
    }

    @Test
    void aRefusedCreateDropsTheCreatorsToken() {
        long id = stage(BayStatus.CREATE_IN_PROGRESS, null, null);
        withToken(id);
        assertThat(apply(BayTransition.CREATE_REFUSED, id, BayChange.reason("the token expired")).changed()).isTrue();
        Map<String, Object> failed = row(id);
        assertThat(failed.get("status")).isEqualTo("CREATE_FAILED");
        assertThat(failed.get("trustor_token")).isNull();
        assertThat(failed.get("trustor_roles")).isNull();
    }

    private void withToken(long id) {
        sql("update bay set trustor_token = 'gcm1:k:sealed', trustor_roles = '[\"member\"]',"
                + " trustor_expires_at = now() + interval '1 hour' where id = $1", id);
    }

    @Test
    void anUpdateNeedsACompleteBayWithNothingPending() {
        assertThat(apply(BayTransition.UPDATE_ACCEPTED, stage(BayStatus.CREATE_IN_PROGRESS, null, "s"),
                BayChange.reason("x").nodeCount(3, null)).changed()).isFalse();
        assertThat(apply(BayTransition.UPDATE_ACCEPTED, stage(BayStatus.CREATE_FAILED, null, "s"),
                BayChange.reason("x").nodeCount(3, null)).changed()).isFalse();
        long id = stage(BayStatus.CREATE_COMPLETE, null, "s");
        assertThat(apply(BayTransition.UPDATE_ACCEPTED, id, BayChange.reason("x").nodeCount(3, "0")).changed()).isTrue();
        assertThat(row(id).get("node_count")).isEqualTo(3);
        assertThat(row(id).get("minions_to_remove")).isEqualTo("0");
        assertThat(apply(BayTransition.UPDATE_ACCEPTED, id, BayChange.reason("x").nodeCount(4, null)).changed())
                .as("a second update while the first is pending").isFalse();
    }

    @Test
    void aNodeGroupIsWrittenWithItsUpdateAndSettledByHowTheUpdateEnds() {
        long id = stage(BayStatus.CREATE_COMPLETE, null, "s");
        NodeGroup big = group(UUID.randomUUID().toString());
        big.nodeCount = 2;
        assertThat(apply(BayTransition.NODEGROUP_ACCEPTED, id, BayChange.reason("x")
                .nodeGroup(new NodeGroupChange(NodeGroupChange.Op.CREATE, big, 2))).changed()).isTrue();
        assertThat(row(id).get("status")).isEqualTo("UPDATE_IN_PROGRESS");
        assertThat(row(id).get("pending_op")).isEqualTo("UPDATE");
        assertThat(row(id).get("group_nodes")).isEqualTo(2);
        assertThat(groupRow(big.uuid).get("status")).isEqualTo("CREATE_IN_PROGRESS");
        // a second change while the first is pending is refused, and writes no group
        NodeGroup other = group(UUID.randomUUID().toString());
        assertThat(apply(BayTransition.NODEGROUP_ACCEPTED, id, BayChange.reason("x")
                .nodeGroup(new NodeGroupChange(NodeGroupChange.Op.CREATE, other, 1))).changed()).isFalse();
        assertThat(groupRow(other.uuid)).isNull();

        sql("update bay set pending_op = null where id = $1", id);
        assertThat(apply(BayTransition.HEAT_COMPLETED, id, BayChange.mirror(BayStatus.UPDATE_IN_PROGRESS, BayStatus.UPDATE_COMPLETE,
                "done").groupAddresses(Map.of(big.stackKey, "[\"10.0.0.8\",\"10.0.0.9\"]"))).changed()).isTrue();
        assertThat(groupRow(big.uuid).get("status")).isEqualTo("CREATE_COMPLETE");
        assertThat(groupRow(big.uuid).get("node_addresses")).isEqualTo("[\"10.0.0.8\",\"10.0.0.9\"]");

        // a resize that fails in Heat: the group is UPDATE_FAILED with the bay's reason, its size as asked
        big.nodeCount = 3;
        big.minionsToRemove = null;
        assertThat(apply(BayTransition.NODEGROUP_ACCEPTED, id, BayChange.reason("x")
                .nodeGroup(new NodeGroupChange(NodeGroupChange.Op.RESIZE, big, 1))).changed()).isTrue();
        assertThat(row(id).get("group_nodes")).isEqualTo(3);
        sql("update bay set pending_op = null where id = $1", id);
        assertThat(apply(BayTransition.HEAT_FAILED, id, BayChange.mirror(BayStatus.UPDATE_IN_PROGRESS, BayStatus.UPDATE_FAILED,
                "Nova said no")).changed()).isTrue();
        assertThat(groupRow(big.uuid).get("status")).isEqualTo("UPDATE_FAILED");
        assertThat(groupRow(big.uuid).get("status_reason")).isEqualTo("Nova said no");
        assertThat(groupRow(big.uuid).get("node_count")).isEqualTo(3);

        // a delete (from UPDATE_FAILED, as a resize may): the row goes when the update completes
        assertThat(apply(BayTransition.NODEGROUP_ACCEPTED, id, BayChange.reason("x")
                .nodeGroup(new NodeGroupChange(NodeGroupChange.Op.DELETE, big, -3))).changed()).isTrue();
        assertThat(groupRow(big.uuid).get("status")).isEqualTo("DELETE_IN_PROGRESS");
        assertThat(row(id).get("group_nodes")).isEqualTo(0);
        sql("update bay set pending_op = null where id = $1", id);
        assertThat(apply(BayTransition.HEAT_COMPLETED, id, BayChange.mirror(BayStatus.UPDATE_IN_PROGRESS, BayStatus.UPDATE_COMPLETE,
                "done")).changed()).isTrue();
        assertThat(groupRow(big.uuid)).isNull();
    }

    private static NodeGroup group(String uuid) {
        NodeGroup g = new NodeGroup();
        g.uuid = uuid;
        g.name = "ng-" + uuid.substring(0, 8);
        g.role = NodeGroup.WORKER;
        g.stackKey = uuid.replace("-", "").substring(0, 10);
        g.nodeCount = 1;
        return g;
    }

    private Map<String, Object> groupRow(String uuid) {
        var rows = pool.preparedQuery("select * from nodegroup where uuid = $1").execute(Tuple.of(uuid)).await().indefinitely();
        return rows.size() == 0 ? null : values(rows.iterator().next());
    }

    @Test
    void heatsWordIsMirroredOnlyOntoTheStatusItWasComparedWith() {
        long id = stage(BayStatus.CREATE_IN_PROGRESS, null, "s");
        assertThat(apply(BayTransition.HEAT_COMPLETED, id, BayChange.mirror(BayStatus.UPDATE_IN_PROGRESS,
                BayStatus.CREATE_COMPLETE, "done")).changed()).as("read as another status").isFalse();
        assertThat(apply(BayTransition.HEAT_COMPLETED, id, BayChange.mirror(BayStatus.CREATE_IN_PROGRESS,
                BayStatus.CREATE_COMPLETE, "done").addresses("https://10.0.0.5:6443", List.of("10.0.0.5"),
                List.of("10.0.0.6", "10.0.0.7"))).changed()).isTrue();
        Map<String, Object> done = row(id);
        assertThat(done.get("api_address")).isEqualTo("https://10.0.0.5:6443");
        assertThat(done.get("node_addresses")).isEqualTo("[\"10.0.0.6\",\"10.0.0.7\"]");
        assertThat(notifications((String) done.get("uuid"))).containsExactly("io.baystack.bay.create.end");
    }

    @Test
    void oneCreateClaimAtATimeUntilItRunsOutOnTheDatabasesClock() {
        long id = stage(BayStatus.CREATE_IN_PROGRESS, null, null);
        assertThat(apply(BayTransition.CREATE_CLAIMED, id, BayChange.claim(Duration.ofMinutes(5))).changed()).isTrue();
        assertThat(apply(BayTransition.CREATE_CLAIMED, id, BayChange.claim(Duration.ofMinutes(5))).changed()).isFalse();
        // what a process whose own clock runs an hour ahead would compute: the claim is the database's
        sql("update bay set create_claim_until = clock_timestamp() - interval '1 second' where id = $1", id);
        assertThat(apply(BayTransition.CREATE_CLAIMED, id, BayChange.claim(Duration.ofMinutes(5))).changed()).isTrue();
        assertThat(apply(BayTransition.CREATE_CLAIM_RELEASED, id, BayChange.none()).changed()).isTrue();
        assertThat(apply(BayTransition.CREATE_CLAIMED, id, BayChange.claim(Duration.ofMinutes(5))).changed()).isTrue();
        assertThat(events(id)).as("claims are no part of the bay's story").isEmpty();
    }

    @Test
    void aRemovedBayTakesItsEventsAndLeavesItsDeleteEndNotification() {
        long id = stage(BayStatus.DELETE_IN_PROGRESS, null, "s");
        String uuid = (String) row(id).get("uuid");
        apply(BayTransition.HEAT_PROGRESSED, id, BayChange.mirror(BayStatus.DELETE_IN_PROGRESS,
                BayStatus.DELETE_IN_PROGRESS, "still deleting"));
        assertThat(events(id)).hasSize(1);
        assertThat(apply(BayTransition.REMOVED, id, BayChange.reason("gone")).changed()).isTrue();
        assertThat(row(id)).isNull();
        assertThat(events(id)).isEmpty();
        String data = pool.preparedQuery("select data from bay_notification where bay_uuid = $1").execute(Tuple.of(uuid))
                .await().indefinitely().iterator().next().getString(0);
        assertThat(data).contains("\"status\" : \"DELETE_COMPLETE\"").contains(uuid);
    }

    // ---------------------------------------------------------------- staging and reading rows

    private static final String STAGE = "insert into bay (uuid, name, project_id, user_id, baymodel_id, node_count,"
            + " master_count, create_timeout, stack_name, stack_id, status, pending_op, created_at, updated_at)"
            + " values ($1, 'b', 'p', 'u', $2, 1, 1, 60, $3, $4, $5, $6, now(), now())";

    private BayRepository.Applied apply(BayTransition t, long id, BayChange c) {
        return fresh.run(() -> bays.apply(t, id, c)).await().atMost(Duration.ofSeconds(30));
    }

    private long stage(BayStatus status, PendingOp op, String stackId) {
        String uuid = UUID.randomUUID().toString();
        return pool.preparedQuery(STAGE + " returning id")
                .execute(Tuple.of(uuid, model, "b-" + uuid, stackId, status.name(), op == null ? null : op.name()))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private List<Long> stageAll(List<Object[]> states) {
        List<Tuple> batch = new ArrayList<>();
        for (Object[] st : states) {
            String uuid = UUID.randomUUID().toString();
            batch.add(Tuple.of(uuid, model, "b-" + uuid, (boolean) st[2] ? UUID.randomUUID().toString() : null,
                    ((BayStatus) st[0]).name(), st[1] == null ? null : ((PendingOp) st[1]).name()));
        }
        pool.preparedQuery(STAGE).executeBatch(batch).await().indefinitely();
        Map<String, Long> byUuid = new HashMap<>();
        pool.preparedQuery("select uuid, id from bay where uuid = any($1)")
                .execute(Tuple.of(batch.stream().map(t -> t.getString(0)).toArray(String[]::new))).await().indefinitely()
                .forEach(r -> byUuid.put(r.getString(0), r.getLong(1)));
        return batch.stream().map(t -> byUuid.get(t.getString(0))).toList();
    }

    private Map<Long, Map<String, Object>> rows(List<Long> ids) {
        Map<Long, Map<String, Object>> all = new HashMap<>();
        pool.preparedQuery("select * from bay where id = any($1)").execute(Tuple.of(ids.toArray(Long[]::new)))
                .await().indefinitely().forEach(r -> all.put(r.getLong("id"), values(r)));
        return all;
    }

    private Map<Long, List<String>> events(List<Long> ids) {
        Map<Long, List<String>> all = new HashMap<>();
        pool.preparedQuery("select bay_id, kind from bay_event where bay_id = any($1) order by id")
                .execute(Tuple.of(ids.toArray(Long[]::new))).await().indefinitely()
                .forEach(r -> all.computeIfAbsent(r.getLong(0), k -> new ArrayList<>()).add(r.getString(1)));
        return all;
    }

    private Map<String, List<String>> notifications(List<String> uuids) {
        Map<String, List<String>> all = new HashMap<>();
        pool.preparedQuery("select bay_uuid, type from bay_notification where bay_uuid = any($1) order by id")
                .execute(Tuple.of(uuids.toArray(String[]::new))).await().indefinitely()
                .forEach(r -> all.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getString(1)));
        return all;
    }

    private static Map<String, Object> values(Row r) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < r.size(); i++) {
            values.put(r.getColumnName(i), r.getValue(i));
        }
        return values;
    }

    private Map<String, Object> row(long id) {
        var rows = pool.preparedQuery("select * from bay where id = $1").execute(Tuple.of(id)).await().indefinitely();
        if (rows.size() == 0) {
            return null;
        }
        return values(rows.iterator().next());
    }

    private List<String> events(long id) {
        List<String> kinds = new ArrayList<>();
        pool.preparedQuery("select kind from bay_event where bay_id = $1 order by id").execute(Tuple.of(id))
                .await().indefinitely().forEach(r -> kinds.add(r.getString(0)));
        return kinds;
    }

    private List<String> notifications(String uuid) {
        List<String> types = new ArrayList<>();
        pool.preparedQuery("select type from bay_notification where bay_uuid = $1 order by id").execute(Tuple.of(uuid))
                .await().indefinitely().forEach(r -> types.add(r.getString(0)));
        return types;
    }

    private void sql(String statement, Object... args) {
        pool.preparedQuery(statement).execute(Tuple.from(args)).await().indefinitely();
    }
}
