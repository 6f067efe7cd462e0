package io.baystack.activity.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.baystack.activity.ActivityService;
import io.baystack.activity.EventView;
import io.baystack.bay.Progress;
import io.baystack.api.ApiRequest;
import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.baystack.api.ResponseLinks;
import io.baystack.bay.BayEventRepository;
import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What a bay (or cluster, the same under today's name) is doing: its progress in Heat, its events
 * (baystack's own state changes and its stack's Heat events, newest last, paged like every list),
 * and the same events as a Server-Sent Events stream that ends with the bay's operation. One
 * subclass per collection: Quarkus REST routes overlapping class paths only between literal ones.
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class ActivityResource {

    @Path("/v1/bays/{ident}")
    public static class Bays extends ActivityResource {
        @Override
        Noun noun() {
            return Noun.BAY;
        }
    }

    @Path("/v1/clusters/{ident}")
    public static class Clusters extends ActivityResource {
        @Override
        Noun noun() {
            return Noun.CLUSTER;
        }
    }

    @Inject
    ActivityService service;
    @Inject
    ApiRequest request;
    @Inject
    BaystackConfig config;
    @Inject
    BayLookedUp.Opened opened;

    abstract Noun noun();

    @GET
    @Path("/progress")
    public Uni<Progress> progress(@RestPath String ident) {
        return service.progress(ident, request.caller(), noun());
    }

    @GET
    @Path("/events")
    public Uni<Map<String, Object>> events(@RestPath String ident,
            @RestQuery String limit, @RestQuery String marker, @RestQuery("sort_key") String sortKey,
            @RestQuery("sort_dir") String sortDir, @Context UriInfo uri) {
        Paging.Page page = BayEventRepository.PAGING.page(limit, marker, sortKey, sortDir);
        String url = ResponseLinks.base(uri, config) + "/v1/" + noun().plural() + "/" + ident + "/events";
        return service.events(ident, request.caller(), noun(), page).map(events -> ResponseLinks.collection(
                "events", events.stream().map(EventView::of).toList(), Paging.next(events, page, url, e -> e.uuid)));
    }

    /**
     * Each event as one SSE {@code data:} line of JSON with the event's uuid as {@code id:}, from the
     * first (or after {@code marker}); comments ({@code : …}) keep a quiet stream open and say why a
     * stream ends before its bay is done.
     */
    @GET
    @Path("/events/watch")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @BayLookedUp
    public Multi<OutboundSseEvent> watch(@RestPath String ident, @RestQuery String marker, @Context Sse sse) {
        // the bay, the marker and the stream's place were resolved by BayLookedUp.Filter
        return opened.watch().items().map(w -> w.event() == null
                ? sse.newEventBuilder().comment(w.comment()).build()
                // JSON by the stream's element type (an explicit media type would add a content-type line)
                : sse.newEventBuilder().id(w.event().uuid).data(EventView.class, EventView.of(w.event())).build());
    }
}
