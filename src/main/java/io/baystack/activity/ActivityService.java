package io.baystack.activity;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.Idents;
import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.baystack.bay.Bay;
import io.baystack.bay.BayEvent;
import io.baystack.bay.BayEventRepository;
import io.baystack.bay.BayProgressRepository;
import io.baystack.bay.BayRepository;
import io.baystack.bay.Progress;
import io.baystack.keystone.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What a bay is doing, read from PostgreSQL only: its progress and its events (baystack's and its
 * Heat stack's), a page at a time or as a stream ({@link WatchHub}) that ends with the bay's operation.
 */
@ApplicationScoped
public class ActivityService {

    /**
     * One item of a watch stream: an event, or a comment (a heartbeat of a quiet stream, or the word
     * that the stream ends before its bay is done, with the marker to watch again from).
     */
    public record Watch(BayEvent event, String comment) {
    }

    /** A resolved watch stream holding its place; it starts at subscription and gives the place back when it ends. */
    public record OpenWatch(Multi<Watch> items) {
    }

    private final BayRepository bays;
    private final BayProgressRepository progress;
    private final BayEventRepository events;
    private final WatchHub hub;

    ActivityService(BayRepository bays, BayProgressRepository progress, BayEventRepository events, WatchHub hub) {
        this.bays = bays;
        this.progress = progress;
        this.events = events;
        this.hub = hub;
    }

    /** The progress of the bay the caller may see (404 / 409 as for a GET of it). */
    public Uni<Progress> progress(String ident, Caller caller, Noun noun) {
        return Panache.withSession(() -> bays.findVisible(Idents.canonical(ident), caller, noun)
                .chain(bay -> progress.findById(bay.id).map(Progress::of)));
    }

    /** One page of the bay's events, oldest first unless the page says otherwise. */
    public Uni<List<BayEvent>> events(String ident, Caller caller, Noun noun, Paging.Page page) {
        return Panache.withSession(() -> bays.findVisible(Idents.canonical(ident), caller, noun).chain(bay -> events.page(bay.id, page)));
    }

    /**
     * A watch stream of the bay's events from the start (or after the event {@code marker}), resolved
     * and given its place now, before the answer is committed: an unknown bay or marker is a 404, a
     * full house a 429. The stream starts at subscription and ends once the bay is in a final state
     * (not in progress, nothing pending for Heat) and every event up to it went out, or when the bay
     * is gone, or after {@code baystack.api.watch-max} (its last item then says where to watch again
     * from); a quiet stream carries a comment every {@code baystack.api.watch-heartbeat}.
     */
    public Uni<OpenWatch> openWatch(String ident, Caller caller, Noun noun, String marker) {
        String from = marker == null ? null : BayEventRepository.PAGING.page(null, marker, null, null).marker();
        return Uni.createFrom().item(hub::reserve).chain(permit -> Panache.withSession(() -> bays
                .findVisible(Idents.canonical(ident), caller, noun).chain(bay -> from == null
                        ? Uni.createFrom().item(new long[] { bay.id, 0L })
                        : events.byUuid(bay.id, from).map(e -> new long[] { bay.id, e.id })))
                .onFailure().invoke(permit::release)
                .map(start -> new OpenWatch(hub.stream(permit, start[0], start[1], from))));
    }
}
