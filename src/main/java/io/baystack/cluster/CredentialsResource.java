package io.baystack.cluster;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import io.baystack.api.ApiRequest;
import io.baystack.api.BaystackException;
import io.baystack.api.Idents;
import io.baystack.api.Microversion;
import io.baystack.api.Noun;
import io.baystack.bay.CredentialService;
import io.smallrye.mutiny.Uni;

/**
 * {@code PATCH /v1/credentials/{cluster}} (from 1.12, {@code openstack coe credential rotate}): the
 * cluster's trust is made anew with the caller's token and the old one deleted; 202 with the uuid.
 */
@Path("/v1/credentials")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialsResource {

    private final CredentialService service;
    private final ApiRequest request;

    CredentialsResource(CredentialService service, ApiRequest request) {
        this.service = service;
        this.request = request;
    }

    @PATCH
    @Path("/{ident}")
    // the stock client sends no body with whatever Content-Type
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Map<String, String>>> rotate(@RestPath String ident) {
        if (!request.microversion().atLeast(Microversion.CREDENTIALS)) {
            // as for any route a microversion does not have yet
            throw BaystackException.notFound("The resource could not be found.");
        }
        return service.rotate(Idents.canonical(ident), request.caller(), Noun.CLUSTER)
                .map(bay -> RestResponse.accepted(Map.of("uuid", bay.uuid)));
    }
}
