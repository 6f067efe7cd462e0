package io.baystack.certificate.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.ApiRequest;
import io.baystack.api.BaystackException;
import io.baystack.api.Idents;
import io.baystack.api.Microversion;
import io.baystack.api.Noun;
import io.baystack.api.ResponseLinks;
import io.baystack.api.StrictStrings;
import io.baystack.certificate.CertificateService;
import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Uni;

/**
 * Magnum's certificates API over each bay's CA: {@code ca show} (GET), {@code ca sign} and the
 * client side of {@code cluster config} (POST), {@code ca rotate} (PATCH, from 1.5, 202). A bay is
 * named by uuid or name, with the tenancy of bays (another project's is 404; an admin sees all).
 */
@Path("/v1/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CertificatesResource {

    /** CA rotation came with 1.5. */
    static final Microversion ROTATE = new Microversion(1, 5);
    private static final String COLLECTION = "certificates";

    /** The body of {@code POST /v1/certificates}: the bay (either name), the CSR, and the CA it is for. */
    @StrictStrings.Checked
    public record SignRequest(@JsonProperty("cluster_uuid") String clusterUuid, @JsonProperty("bay_uuid") String bayUuid,
            String csr, @JsonProperty("ca_cert_type") String caCertType) {
    }

    private final CertificateService service;
    private final ApiRequest request;
    private final BaystackConfig config;

    CertificatesResource(CertificateService service, ApiRequest request, BaystackConfig config) {
        this.service = service;
        this.request = request;
        this.config = config;
    }

    @GET
    @Path("/{ident}")
    public Uni<Map<String, Object>> show(@RestPath String ident, @RestQuery("ca_cert_type") String caCertType,
            @Context UriInfo uri) {
        checkCaType(caCertType);
        return service.show(Idents.canonical(ident), request.caller(), Noun.CLUSTER)
                .map(shown -> view(shown, null, uri));
    }

    @POST
    public Uni<RestResponse<Map<String, Object>>> sign(SignRequest body, @Context UriInfo uri) {
        if (body == null) {
            throw BaystackException.invalid("The request body must be a JSON object with cluster_uuid and csr.");
        }
        checkCaType(body.caCertType());
        String ident = body.clusterUuid() != null ? body.clusterUuid() : body.bayUuid();
        if (ident == null || ident.isBlank()) {
            throw BaystackException.invalid("Invalid input for field/attribute cluster_uuid. Mandatory field missing.");
        }
        return service.sign(Idents.canonical(ident), body.csr(), request.caller(), Noun.CLUSTER)
                .map(signed -> RestResponse.status(RestResponse.Status.CREATED, view(signed, body.csr(), uri)));
    }

    @PATCH
    @Path("/{ident}")
    // the stock client sends no body (or JSON null) with whatever Content-Type
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Map<String, String>>> rotate(@RestPath String ident) {
        if (!request.microversion().atLeast(ROTATE)) {
            throw BaystackException.notFound("The resource could not be found.");
        }
        return service.rotate(Idents.canonical(ident), request.caller(), Noun.CLUSTER)
                .map(bay -> RestResponse.accepted(Map.of("uuid", bay.uuid)));
    }

    private Map<String, Object> view(CertificateService.Shown shown, String csr, UriInfo uri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cluster_uuid", shown.bayUuid());
        body.put("bay_uuid", shown.bayUuid());
        if (csr != null) {
            body.put("csr", csr);
        }
        body.put("pem", shown.pem());
        body.put("links", ResponseLinks.of(ResponseLinks.base(uri, config), COLLECTION, shown.bayUuid()));
        return body;
    }

    private static void checkCaType(String type) {
        if (type != null && !type.isBlank() && !"kubernetes".equals(type)) {
            throw BaystackException.invalid("ca_cert_type '" + type + "' is not supported: baystack keeps one CA per bay"
                    + " (kubernetes), which also serves etcd and the front proxy.");
        }
    }
}
