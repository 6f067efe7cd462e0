package io.baystack.bay;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * The bays' stories in PostgreSQL. {@link #record} is the one recorder of baystack's own state
 * changes: {@link BayRepository} calls it inside the transaction that makes the change, so a change
 * and its event are stored together or not at all.
 */
@ApplicationScoped
@WithSession
public class BayEventRepository implements PanacheRepository<BayEvent> {

    @jakarta.inject.Inject
    io.baystack.notify.NotificationOutbox notifications;

    /** Events are listed in the order they were stored, newest last (or first with sort_dir=desc). */
    public static final Paging<BayEvent> PAGING = new Paging<>(e -> e.id, new Paging.Key<>("id", "id", e -> e.id));
    public static final Noun EVENT = new Noun("Event", "events");

    /** Records a state change of baystack's when {@code changed} (the write made it); in the caller's transaction. */
    public Uni<Void> record(boolean changed, long bayId, String kind, BayStatus status, String reason) {
        if (!changed) {
            return Uni.createFrom().voidItem();
        }
        BayEvent event = new BayEvent();
        event.uuid = UUID.randomUUID().toString();
        event.bayId = bayId;
        event.source = BayEvent.BAYSTACK;
        event.kind = kind;
        event.status = status == null ? null : status.name();
        event.reason = reason;
        event.time = Instant.now();
        // an accepted operation starts, a status reached ends it or fails it: those are notified
        boolean notified = BayEvent.ACCEPTED.equals(kind) || (BayEvent.STATUS.equals(kind) && status != null
                && !status.inProgress());
        return persist(event).call(() -> notified ? notifications.add(bayId, status) : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    /** The first event of every bay: accepted, in the status and with the reason it was stored with. */
    public Uni<Void> accepted(Bay bay) {
        return record(true, bay.id, BayEvent.ACCEPTED, bay.status, bay.statusReason);
    }

    /** Stores Heat's events of the bay's stack in their order; ones already stored (same Heat id) are skipped. */
    @WithTransaction
    public Uni<Void> copyFromHeat(long bayId, List<BayEvent> events) {
        return Panache.getSession().chain(s -> {
            Uni<Integer> all = Uni.createFrom().item(0);
            for (BayEvent e : events) {
                all = all.chain(() -> s.createNativeQuery("insert into bay_event (uuid, bay_id, source, kind, stack_name,"
                        + " resource_name, status, reason, event_time) values (:uuid, :bay, :source, :kind, :stack, :resource,"
                        + " :status, :reason, :time) on conflict (uuid) do nothing")
                        .setParameter("uuid", e.uuid).setParameter("bay", bayId).setParameter("source", BayEvent.HEAT)
                        .setParameter("kind", e.kind).setParameter("stack", e.stackName)
                        .setParameter("resource", e.resourceName).setParameter("status", e.status)
                        .setParameter("reason", e.reason).setParameter("time", e.time).executeUpdate());
            }
            return all;
        }).replaceWithVoid();
    }

    /** The id Heat gave the last of its events stored for the bay (where the next copy starts), or null. */
    public Uni<String> lastFromHeat(long bayId) {
        return find("bayId = ?1 and source = ?2 order by id desc", bayId, BayEvent.HEAT).firstResult()
                .map(e -> e == null ? null : e.uuid);
    }

    /** One page of the bay's events; the marker must be one of them (else 404). */
    public Uni<List<BayEvent>> page(long bayId, Paging.Page page) {
        return PAGING.list(this, "bayId = :bay", Parameters.with("bay", bayId), page, EVENT);
    }

    /** The bay's event with this uuid, or 404. */
    public Uni<BayEvent> byUuid(long bayId, String uuid) {
        return find("bayId = ?1 and uuid = ?2", bayId, uuid).firstResult().map(e -> {
            if (e == null) {
                throw EVENT.notFound(uuid);
            }
            return e;
        });
    }

    /** At most {@code limit} of the bay's events stored after the one with id {@code afterId}, oldest first. */
    public Uni<List<BayEvent>> after(long bayId, long afterId, int limit) {
        return find("bayId = ?1 and id > ?2 order by id", bayId, afterId).page(0, limit).list();
    }
}
