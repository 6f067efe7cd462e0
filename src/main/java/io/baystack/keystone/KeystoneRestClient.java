package io.baystack.keystone;

import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.jboss.resteasy.reactive.RestResponse;

import io.baystack.keystone.KeystonePayloads.TokenEnvelope;
import io.baystack.keystone.KeystonePayloads.TrustEnvelope;
import io.baystack.keystone.KeystonePayloads.TrustList;
import io.smallrye.mutiny.Uni;

/** Keystone v3, as much of it as baystack calls. Used only through this package's facades. */
@Path("")
interface KeystoneRestClient {

    String TOKEN = "X-Auth-Token";
    String SUBJECT = "X-Subject-Token";

    /** Issues a token: the token is in the {@code X-Subject-Token} header. */
    @POST
    @Path("/auth/tokens")
    Uni<RestResponse<TokenEnvelope>> issue(Map<String, Object> auth);

    /** Validates {@code subject} with the service's token; 404 when it is not (or no longer) valid. */
    @GET
    @Path("/auth/tokens")
    Uni<TokenEnvelope> validate(@HeaderParam(TOKEN) String serviceToken, @HeaderParam(SUBJECT) String subject);

    @POST
    @Path("/OS-TRUST/trusts")
    Uni<TrustEnvelope> createTrust(@HeaderParam(TOKEN) String trustorToken, TrustEnvelope trust);

    /** The trusts {@code trustorUserId} made (Keystone lets the trustor list their own). */
    @GET
    @Path("/OS-TRUST/trusts")
    Uni<TrustList> listTrusts(@HeaderParam(TOKEN) String trustorToken, @QueryParam("trustor_user_id") String trustorUserId);

    /** One trust (its trustor and trustee may read it). */
    @GET
    @Path("/OS-TRUST/trusts/{id}")
    Uni<TrustEnvelope> getTrust(@HeaderParam(TOKEN) String token, @PathParam("id") String trustId);

    @DELETE
    @Path("/OS-TRUST/trusts/{id}")
    Uni<Void> deleteTrust(@HeaderParam(TOKEN) String token, @PathParam("id") String trustId);
}
