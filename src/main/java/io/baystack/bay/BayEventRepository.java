package io.baystack.bay;

import java.util.List;

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
 * The bays' stories in PostgreSQL. baystack's own events are written by the statement of the state
 * change itself ({@link BayTransition}); Heat's are copied here by the status sync.
 */
@ApplicationScoped
@WithSession
public class BayEventRepository implements PanacheRepository<BayEvent> {

    /** Events are listed in the order they were stored, newest last (or first with sort_dir=desc). */
    public static final Paging<BayEvent> PAGING = new Paging<>(e -> e.id, new Paging.Key<>("id", "id", e -> e.id));
    public static final Noun EVENT = new Noun("Event", "events");

    /**
     * Stores Heat's events of the bay's stack in their order, in one statement (a first look at a bay
     * with nested stacks brings hundreds); ones already stored (same Heat id) are skipped.
     */
    @WithTransaction
    public Uni<Void> copyFromHeat(long bayId, List<BayEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        StringBuilder sql = new StringBuilder("insert into bay_event (uuid, bay_id, source, kind, stack_name,"
                + " resource_name, status, reason, event_time) values ");
        for (int i = 0; i < events.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:u").append(i).append(", :bay, :source, :k").append(i)
                    .append(", :n").append(i).append(", :r").append(i).append(", :s").append(i).append(", :why")
                    .append(i).append(", :t").append(i).append(')');
        }
        sql.append(" on conflict (uuid) do nothing");
        return Panache.getSession().chain(s -> {
            var q = s.createNativeQuery(sql.toString()).setParameter("bay", bayId).setParameter("source", BayEvent.HEAT);
            for (int i = 0; i < events.size(); i++) {
                BayEvent e = events.get(i);
                q.setParameter("u" + i, e.uuid).setParameter("k" + i, e.kind).setParameter("n" + i, e.stackName)
                        .setParameter("r" + i, e.resourceName).setParameter("s" + i, e.status)
                        .setParameter("why" + i, e.reason).setParameter("t" + i, e.time);
            }
            return q.executeUpdate();
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
