package io.baystack.certificate.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import io.baystack.api.BaystackException;
import io.baystack.certificate.NodeBootstrap;
import io.smallrye.mutiny.Uni;

/**
 * Where a bay's master fetches its CA key while it bootstraps Kubernetes ({@code heat/bootstrap/master.sh}).
 * Not Magnum's API and not behind Keystone (a node has no Keystone credentials): the caller proves itself
 * with the one-time token its stack was given. The key is answered once, while the bay is being created.
 */
@Path("/bootstrap")
public class BootstrapResource {

    private final NodeBootstrap bootstrap;

    BootstrapResource(NodeBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    @GET
    @Path("/{bay}/ca-key")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> caKey(@RestPath String bay, @RestHeader("X-Bootstrap-Token") String token) {
        if (token == null || token.isBlank()) {
            return Uni.createFrom().failure(BaystackException.notAuthenticated("An X-Bootstrap-Token header is required."));
        }
        return bootstrap.fetchCaKey(bay, token).onFailure(NodeBootstrap.Refused.class)
                .transform(e -> ((NodeBootstrap.Refused) e).gone ? BaystackException.conflict(e.getMessage())
                        : BaystackException.forbidden(e.getMessage()));
    }
}
