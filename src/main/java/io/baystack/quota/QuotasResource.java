package io.baystack.quota;

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

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.ApiRequest;
import io.baystack.api.BaystackException;
import io.baystack.api.Paging;
import io.baystack.api.Policy;
import io.baystack.api.ResponseLinks;
import io.baystack.api.Timestamps;
import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Uni;

/** {@code /v1/quotas}: list (admin), get (admin or the project), create 201, update 202, delete 204 (admin). */
@Path("/v1/quotas")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QuotasResource {

    /** A quota in requests (create, update). */
    public record QuotaRequest(@JsonProperty("project_id") String projectId, String resource,
            @JsonProperty("hard_limit") Integer hardLimit) {
    }

    /** A quota as the API shows it. */
    public record QuotaView(Long id, @JsonProperty("project_id") String projectId, String resource,
            @JsonProperty("hard_limit") int hardLimit, @JsonProperty("created_at") String createdAt,
            @JsonProperty("updated_at") String updatedAt) {
        static QuotaView of(QuotaService.Limit l) {
            return new QuotaView(l.id(), l.projectId(), l.resource(), l.hardLimit(), Timestamps.format(l.createdAt()),
                    Timestamps.format(l.updatedAt()));
        }
    }

    private final QuotaService service;
    private final ApiRequest request;
    private final BaystackConfig config;

    QuotasResource(QuotaService service, ApiRequest request, BaystackConfig config) {
        this.service = service;
        this.request = request;
        this.config = config;
    }

    /** Paged as Magnum pages quotas ({@code marker}: a quota's id); {@code all_tenants} for every project's. */
    @GET
    public Uni<Map<String, Object>> list(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @RestQuery("all_tenants") String allTenants, @RestQuery("project_id") String projectId, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, allTenants, projectId, uri, "");
    }

    @GET
    @Path("/detail")
    public Uni<Map<String, Object>> detail(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @RestQuery("all_tenants") String allTenants, @RestQuery("project_id") String projectId, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, allTenants, projectId, uri, "/detail");
    }

    private Uni<Map<String, Object>> page(String limit, String marker, String sortKey, String sortDir, String allTenants,
            String projectId, UriInfo uri, String suffix) {
        // the policy before the paging, as Magnum: a non-admin is refused whatever paging they sent
        Policy.requireAdmin(request.caller(), "quota:get_all");
        Paging.Page page = QuotaService.PAGING.page(limit, marker, sortKey, sortDir);
        String next = ResponseLinks.base(uri, config) + "/v1/quotas" + suffix;
        return service.list(request.caller(), page, allTenants, projectId).map(l -> ResponseLinks.collection("quotas",
                l.stream().map(QuotaView::of).toList(), Paging.next(l, page, next, q -> String.valueOf(q.id()))));
    }

    @GET
    @Path("/{projectId}/{resource}")
    public Uni<QuotaView> get(@RestPath String projectId, @RestPath String resource) {
        return service.get(projectId, resource, request.caller()).map(QuotaView::of);
    }

    @POST
    public Uni<RestResponse<QuotaView>> create(QuotaRequest body) {
        QuotaRequest b = required(body);
        return service.create(b.projectId(), b.resource(), b.hardLimit(), request.caller())
                .map(l -> RestResponse.status(RestResponse.Status.CREATED, QuotaView.of(l)));
    }

    @PATCH
    @Path("/{projectId}/{resource}")
    public Uni<RestResponse<QuotaView>> update(@RestPath String projectId, @RestPath String resource, QuotaRequest body) {
        QuotaRequest b = required(body);
        return service.update(projectId, resource, b.hardLimit(), request.caller())
                .map(l -> RestResponse.status(RestResponse.Status.ACCEPTED, QuotaView.of(l)));
    }

    @DELETE
    @Path("/{projectId}/{resource}")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Void>> delete(@RestPath String projectId, @RestPath String resource) {
        return service.delete(projectId, resource, request.caller()).map(v -> RestResponse.noContent());
    }

    private static QuotaRequest required(QuotaRequest body) {
        if (body == null) {
            throw BaystackException.invalid("The request body must be a JSON object with project_id, resource and hard_limit.");
        }
        return body;
    }
}
