package io.baystack.bay;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.db.NativeSelects;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The outbox of bay notifications in PostgreSQL. A notification is stored by the statement of the
 * state change itself ({@link BayTransition}, {@link BayRepository#accept}), so a change and its
 * notification are stored together or not at all; the notification flush claims and sends what is unsent.
 */
@ApplicationScoped
public class NotificationOutbox {

    /** The CloudEvent type prefix: {@code io.baystack.bay.create.end} and so on. */
    public static final String TYPE_PREFIX = "io.baystack.bay.";

    /** The purge every notification round runs (bay_notification_sent_idx serves it). */
    static final String PURGE = "delete from bay_notification where sent_at < :before";

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
     * The insert of a notification of type {@code :note_type} (event id {@code :note_id}) for the bay row
     * of {@code rows} (a CTE of bay rows), whose status is {@code status}: for a transition's statement.
     */
    static String insertFrom(String rows, String status) {
        return "insert into bay_notification (event_id, type, bay_uuid, data, created_at) select :note_id, :note_type,"
                + " b.uuid, " + view(status) + ", clock_timestamp() from " + rows + " b";
    }

    /** The bay as the API shows it (no trust, no internals), as JSON text, from the row {@code b}. */
    private static String view(String status) {
        return "json_build_object('uuid', b.uuid, 'name', b.name,"
            + " 'project_id', b.project_id, 'user_id', b.user_id, 'baymodel_id', b.baymodel_id, 'cluster_template_id',"
            + " b.baymodel_id, 'status', " + status + ", 'status_reason', b.status_reason, 'node_count', b.node_count,"
            + " 'master_count', b.master_count, 'stack_id', b.stack_id, 'api_address', b.api_address,"
            + " 'create_timeout', b.create_timeout, 'created_at', " + magnumTime("b.created_at") + ", 'updated_at', " + magnumTime("b.updated_at") + ")::text";
    }

    /** A timestamp column as the API writes it ({@link io.baystack.api.Timestamps}: 2016-08-29T06:51:31+00:00). */
    private static String magnumTime(String column) {
        return "to_char(" + column + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')";
    }

    /**
     * Takes the oldest unsent notifications no other round holds, at most {@code limit}, for {@code claim}:
     * rows another transaction is taking at the same moment are skipped, not waited for. Oldest first.
     */
    public Uni<List<Unsent>> claimUnsent(int limit, Duration claim) {
        // the database's clock: every process agrees on when a claim ran out
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> NativeSelects.bind(s.createNativeQuery(
                "update bay_notification set claimed_until = clock_timestamp() + make_interval(secs => :claim)"
                        + " where id in (select id from bay_notification where sent_at is null"
                        + " and (claimed_until is null or claimed_until < clock_timestamp()) and "
                        + NativeSelects.uncached("id") + " order by id limit :limit for update skip locked)"
                        + " returning id, event_id, type, bay_uuid, data, created_at", Object[].class))
                .setParameter("claim", claim.toMillis() / 1000.0)
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
                "update bay_notification set sent_at = clock_timestamp() where id = :id")
                .setParameter("id", id).executeUpdate())).replaceWithVoid();
    }

    /** Deletes the notifications sent before {@code before}; how many. */
    public Uni<Integer> purgeSentBefore(Instant before) {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                PURGE)
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
