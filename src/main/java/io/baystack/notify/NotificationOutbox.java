package io.baystack.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.bay.BayStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The outbox of bay notifications in PostgreSQL. {@link #add} runs in the transaction of the state
 * change, so a change and its notification are stored together or not at all; {@link BayNotifier}
 * sends what is unsent.
 */
@ApplicationScoped
public class NotificationOutbox {

    /** The CloudEvent type prefix: {@code io.baystack.bay.create.end} and so on. */
    public static final String TYPE_PREFIX = "io.baystack.bay.";

    /** One notification still to be sent. */
    public record Unsent(long id, String eventId, String type, String bayUuid, String data, Instant createdAt) {
    }

    /**
     * The type of the notification a bay entering {@code status} sends: the operation and its phase
     * ({@code start}, {@code end}, {@code error}); null when the status is no such step.
     */
    public static String typeOf(String status) {
        if (status == null) {
            return null;
        }
        int cut = status.lastIndexOf('_');
        if (cut < 0) {
            return null;
        }
        String phase = switch (status.substring(cut + 1)) {
            case "PROGRESS" -> "start";
            case "COMPLETE" -> "end";
            case "FAILED" -> "error";
            default -> null;
        };
        String operation = status.startsWith("ROLLBACK_") ? "update"
                : status.substring(0, status.indexOf('_')).toLowerCase();
        return phase == null ? null : TYPE_PREFIX + operation + (status.startsWith("ROLLBACK_") ? ".rollback." : ".") + phase;
    }

    /**
     * Stores the notification of bay {@code bayId} entering {@code status}, with its public fields as
     * this transaction sees them; nothing when the status is no notified step.
     */
    public Uni<Void> add(long bayId, BayStatus status) {
        String type = typeOf(status == null ? null : status.name());
        if (type == null) {
            return Uni.createFrom().voidItem();
        }
        return insert(bayId, type, status.name());
    }

    /**
     * Deletes a bay being deleted ({@code withoutStack}: only if it never had a stack) and stores its
     * {@code delete.end} notification with it, in one statement; 1 when it was deleted.
     */
    public Uni<Integer> deleteNotifying(long bayId, boolean withoutStack) {
        return Panache.getSession().chain(s -> s.createNativeQuery("with b as (delete from bay where id = :id and status = '"
                + BayStatus.DELETE_IN_PROGRESS.name() + "'" + (withoutStack ? " and stack_id is null" : "") + " returning *)"
                + " insert into bay_notification (event_id, type, bay_uuid, data, created_at) select :event, :type, b.uuid, "
                + VIEW + ", :now from b")
                .setParameter("event", UUID.randomUUID().toString()).setParameter("type", TYPE_PREFIX + "delete.end")
                .setParameter("status", BayStatus.DELETE_COMPLETE.name()).setParameter("now", Instant.now())
                .setParameter("id", bayId).executeUpdate());
    }

    /** The bay as the API shows it (no trust, no internals), as JSON text, from the row {@code b}. */
    private static final String VIEW = "json_build_object('uuid', b.uuid, 'name', b.name,"
            + " 'project_id', b.project_id, 'user_id', b.user_id, 'baymodel_id', b.baymodel_id, 'cluster_template_id',"
            + " b.baymodel_id, 'status', cast(:status as text), 'status_reason', b.status_reason, 'node_count', b.node_count,"
            + " 'master_count', b.master_count, 'stack_id', b.stack_id, 'api_address', b.api_address,"
            + " 'create_timeout', b.create_timeout, 'created_at', " + magnumTime("b.created_at") + ", 'updated_at', " + magnumTime("b.updated_at") + ")::text";

    /** A timestamp column as the API writes it ({@link io.baystack.api.Timestamps}: 2016-08-29T06:51:31+00:00). */
    private static String magnumTime(String column) {
        return "to_char(" + column + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')";
    }

    private Uni<Void> insert(long bayId, String type, String status) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into bay_notification (event_id, type, bay_uuid,"
                + " data, created_at) select :event, :type, b.uuid, " + VIEW + ", :now from bay b where b.id = :id")
                .setParameter("event", UUID.randomUUID().toString()).setParameter("type", type)
                .setParameter("status", status).setParameter("now", Instant.now()).setParameter("id", bayId)
                .executeUpdate()).replaceWithVoid();
    }

    /**
     * Takes the oldest unsent notifications no other round holds, at most {@code limit}, for {@code claim}:
     * rows another transaction is taking at the same moment are skipped, not waited for. Oldest first.
     */
    public Uni<List<Unsent>> claimUnsent(int limit, Duration claim) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "update bay_notification set claimed_until = :until where id in (select id from bay_notification"
                        + " where sent_at is null and (claimed_until is null or claimed_until < :now) order by id"
                        + " limit :limit for update skip locked)"
                        + " returning id, event_id, type, bay_uuid, data, created_at", Object[].class)
                .setParameter("until", now.plus(claim)).setParameter("now", now)
                .setParameter("limit", limit).getResultList()))
                .map(rows -> rows.stream().map(r -> new Unsent(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                        (String) r[3], (String) r[4], toInstant(r[5])))
                        .sorted(Comparator.comparingLong(Unsent::id)).toList());
    }

    /** Gives back the claim of those of {@code ids} not sent, for the next round to take at once. */
    public Uni<Void> release(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "update bay_notification set claimed_until = null where id in (:ids) and sent_at is null")
                .setParameter("ids", ids).executeUpdate())).replaceWithVoid();
    }

    /** Marks a notification sent (the broker confirmed it). */
    public Uni<Void> sent(long id) {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "update bay_notification set sent_at = :now where id = :id")
                .setParameter("now", Instant.now()).setParameter("id", id).executeUpdate())).replaceWithVoid();
    }

    /** Deletes the notifications sent before {@code before}; how many. */
    public Uni<Integer> purgeSentBefore(Instant before) {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "delete from bay_notification where sent_at < :before")
                .setParameter("before", before).executeUpdate()));
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        return Instant.parse(String.valueOf(value));
    }
}
