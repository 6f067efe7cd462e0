package io.baystack.observability;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/** The version document an OpenStack service serves at its base URL to anyone, without a token. */
interface VersionDocument {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> get();
}
