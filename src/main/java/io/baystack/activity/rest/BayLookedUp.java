package io.baystack.activity.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

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
 * looked up before it starts: an SSE response is committed (200) when its stream begins, so an
 * unknown bay or marker must be refused earlier to be a plain 404 in Magnum's body.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface BayLookedUp {

    /** The filter behind the annotation, after authentication. */
    class Filter {

        @Inject
        ActivityService service;
        @Inject
        ApiRequest request;

        @BayLookedUp
        @ServerRequestFilter(priority = Priorities.USER + 10)
        public Uni<Void> lookUp(ContainerRequestContext ctx) {
            String ident = ctx.getUriInfo().getPathParameters().getFirst("ident");
            Noun noun = ctx.getUriInfo().getPath().startsWith("/v1/clusters/") ? Noun.CLUSTER : Noun.BAY;
            String marker = ctx.getUriInfo().getQueryParameters().getFirst("marker");
            // resolves the bay and the marker as the stream will, without starting it
            return service.watch(ident, request.caller(), noun, marker).replaceWithVoid();
        }
    }
}
