package io.baystack.bay.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.baystack.api.ApiRequest;
import io.baystack.api.BaystackException;
import io.baystack.api.Idents;
import io.baystack.api.Paging;
import io.baystack.api.Validation;
import io.baystack.bay.BayListing;
import io.baystack.bay.BayRepository;
import io.baystack.api.JsonPatch;
import io.baystack.api.Microversion;
import io.baystack.api.Noun;
import io.baystack.api.ResponseLinks;
import io.baystack.bay.BayService;
import io.baystack.bay.BayUpdates;
import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Uni;

@Path("/v1/bays")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BaysResource {

    private final BayService service;
    private final BayUpdates updates;
    private final ApiRequest request;
    private final BaystackConfig config;

    BaysResource(BayService service, BayUpdates updates, ApiRequest request, BaystackConfig config) {
        this.service = service;
        this.updates = updates;
        this.request = request;
        this.config = config;
    }

    /** 1.1: 201 with the bay (Magnum's synchronous form); 1.2 and later: 202 with its uuid. */
    @POST
    @RequestBody(content = @Content(schema = @Schema(implementation = BayCreateRequest.class),
            examples = @ExampleObject(name = "seed", value = BayExamples.CREATE)))
    @APIResponse(responseCode = "202", description = "Accepted (microversion 1.2 and later)",
            content = @Content(examples = @ExampleObject(name = "accepted", value = BayExamples.ACCEPTED)))
    @APIResponse(responseCode = "201", description = "Created (microversion 1.1): the bay",
            content = @Content(schema = @Schema(implementation = BayView.class),
                    examples = @ExampleObject(name = "bay", value = BayExamples.VIEW)))
    public Uni<RestResponse<Object>> create(BayCreateRequest body, @Context UriInfo uri) {
        if (body == null) {
            throw BaystackException.invalid("The request body must be a JSON object describing the bay.");
        }
        boolean async = request.microversion().atLeast(Microversion.ASYNC_BAYS);
        String base = ResponseLinks.base(uri, config);
        return service.create(body.toRequest(), BayCreateRequest.NAMES, request.caller()).map(bay -> async
                ? RestResponse.ResponseBuilder.<Object>create(RestResponse.Status.ACCEPTED).entity(Map.of("uuid", bay.uuid)).build()
                : RestResponse.ResponseBuilder.<Object>created(URI.create(base + "/v1/bays/" + bay.uuid))
                        .entity(BayView.of(bay, base)).build());
    }

    /** The summary fields, a page at a time. */
    @GET
    public Uni<Map<String, Object>> list(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @RestQuery("all_tenants") String allTenants, @RestQuery("project_id") String projectId, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, allTenants, projectId, uri, "", false);
    }

    /** Whole bays, a page at a time. */
    @GET
    @Path("/detail")
    public Uni<Map<String, Object>> detail(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @RestQuery("all_tenants") String allTenants, @RestQuery("project_id") String projectId, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, allTenants, projectId, uri, "/detail", true);
    }

    private Uni<Map<String, Object>> page(String limit, String marker, String sortKey, String sortDir,
            String allTenants, String projectId, UriInfo uri, String suffix, boolean full) {
        Paging.Page page = BayRepository.PAGING.page(limit, marker, sortKey, sortDir);
        String base = ResponseLinks.base(uri, config);
        String next = base + "/v1/bays" + suffix;
        if (!full) {
            return service.listSummaries(request.caller(), page, allTenants, projectId, Noun.BAY).map(bays -> ResponseLinks
                    .collection("bays", bays.stream().map(b -> BaySummary.of(b, base)).toList(),
                            Paging.next(bays, page, next, BayListing::uuid)));
        }
        return service.list(request.caller(), page, allTenants, projectId, Noun.BAY).map(bays -> ResponseLinks.collection("bays",
                bays.stream().map(b -> BayView.of(b, base)).toList(), Paging.next(bays, page, next, b -> b.uuid)));
    }

    /** JSON patch of node_count. 1.1: 200 with the bay; 1.2 and later: 202 with its uuid. */
    @PATCH
    @Path("/{ident}")
    public Uni<RestResponse<Object>> update(@RestPath String ident, List<JsonPatch.Op> patch, @RestQuery String rollback,
            @Context UriInfo uri) {
        boolean async = request.microversion().atLeast(Microversion.ASYNC_BAYS);
        String base = ResponseLinks.base(uri, config);
        return updates.update(Idents.canonical(ident), patch, request.caller(), Noun.BAY, 1,
                Validation.rollback(rollback, request.microversion())).map(bay -> async
                ? RestResponse.ResponseBuilder.<Object>create(RestResponse.Status.ACCEPTED).entity(Map.of("uuid", bay.uuid)).build()
                : RestResponse.ResponseBuilder.<Object>ok(BayView.of(bay, base)).build());
    }

    /** 204 at once; the stack's delete runs on, and the bay disappears when Heat is done. */
    @DELETE
    @Path("/{ident}")
    // clients send DELETE with no body and whatever Content-Type (python-magnumclient: octet-stream)
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Void>> delete(@RestPath String ident) {
        return service.delete(Idents.canonical(ident), request.caller(), Noun.BAY).map(v -> RestResponse.noContent());
    }

    @GET
    @Path("/{ident}")
    @APIResponse(responseCode = "200", description = "The bay, by uuid or name",
            content = @Content(schema = @Schema(implementation = BayView.class),
                    examples = @ExampleObject(name = "bay", value = BayExamples.VIEW)))
    public Uni<BayView> get(@RestPath String ident, @Context UriInfo uri) {
        return service.withProgress(ident, request.caller(), Noun.BAY)
                .map(w -> BayView.of(w.bay(), ResponseLinks.base(uri, config), w.progress()));
    }
}
