package io.baystack.cloud;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.baystack.cloud.CloudPayloads.FlavorList;
import io.baystack.cloud.CloudPayloads.KeypairEnvelope;
import io.smallrye.mutiny.Uni;

/** Nova v2.1's flavors and keypairs (base: the compute endpoint, {@code …/v2.1}). */
@Produces(MediaType.APPLICATION_JSON)
interface NovaRestClient {

    /** The flavors the caller may use (ids and names). */
    @GET
    @Path("/flavors")
    Uni<FlavorList> flavors(@HeaderParam("X-Auth-Token") String token);

    /** The caller's own keypair of that name (a keypair belongs to a user); 404 when there is none. */
    @GET
    @Path("/os-keypairs/{name}")
    Uni<KeypairEnvelope> keypair(@HeaderParam("X-Auth-Token") String token, @PathParam("name") String name);
}
