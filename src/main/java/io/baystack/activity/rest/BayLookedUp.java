package io.baystack.activity.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.baystack.activity.ActivityService;
import io.baystack.api.ApiRequest;
import io.baystack.api.Noun;
import io.smallrye.mutiny.Uni;

/**
 * Marks a stream whose bay ({@code {ident}} under /v1/bays or /v1/clusters) and {@code marker} are
 * looked up, and whose place among the open streams is taken, before it starts: an SSE response is
 * committed (200) when its stream begins, so an unknown bay or marker (404) or a full house (429)
 * must be refused earlier to be answered in Magnum's body. The resource then streams what was
 * resolved here ({@link Opened}), without a second look-up.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface BayLookedUp {

    /** The stream the filter resolved for this request. */
    @RequestScoped
    class Opened {
        private ActivityService.OpenWatch watch;

        void watch(ActivityService.OpenWatch opened) {
            this.watch = opened;
        }

        ActivityService.OpenWatch watch() {
            if (watch == null) {
                throw new IllegalStateException("no watch stream was opened for this request");
            }
            return watch;
        }
    }

    /** The filter behind the annotation, after authentication. */
    class Filter {

        @Inject
        ActivityService service;
        @Inject
        ApiRequest request;
        @Inject
        Opened opened;

        @BayLookedUp
        @ServerRequestFilter(priority = Priorities.USER + 10)
        public Uni<Void> lookUp(ContainerRequestContext ctx) {
            String ident = ctx.getUriInfo().getPathParameters().getFirst("ident");
            Noun noun = ctx.getUriInfo().getPath().startsWith("/v1/clusters/") ? Noun.CLUSTER : Noun.BAY;
            String marker = ctx.getUriInfo().getQueryParameters().getFirst("marker");
            return service.openWatch(ident, request.caller(), noun, marker).invoke(w -> opened.watch(w)).replaceWithVoid();
        }
    }
}
