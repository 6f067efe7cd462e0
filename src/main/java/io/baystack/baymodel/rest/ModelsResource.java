package io.baystack.baymodel.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.baystack.api.ApiRequest;
import io.baystack.api.BaystackException;
import io.baystack.api.JsonPatch;
import io.baystack.api.Paging;
import io.baystack.api.ResponseLinks;
import io.baystack.baymodel.BayModel;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.baymodel.BayModelService;
import io.baystack.baymodel.ModelKind;
import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Uni;

/**
 * The model resource under either of its names ({@link BayModelsResource}, {@link ClusterTemplatesResource}):
 * create 201 + Location, list and /detail (whole objects, paged), get, JSON-patch 200, delete 204.
 */
abstract class ModelsResource {

    private final BayModelService service;
    private final ApiRequest request;
    private final BaystackConfig config;
    private final ModelKind kind;
    private final ModelPatch patches;

    ModelsResource(BayModelService service, ApiRequest request, BaystackConfig config, ModelKind kind,
            ModelPatch patches) {
        this.patches = patches;
        this.service = service;
        this.request = request;
        this.config = config;
        this.kind = kind;
    }

    @POST
    public Uni<RestResponse<BayModelView>> create(BayModelCreateRequest body, @Context UriInfo uri) {
        if (body == null) {
            throw BaystackException.invalid("The request body must be a JSON object describing the "
                    + kind.noun.singular() + ".");
        }
        String base = ResponseLinks.base(uri, config);
        return service.create(body.toInput(), request.caller(), kind).map(model -> RestResponse.ResponseBuilder
                .<BayModelView>created(URI.create(base + "/v1/" + kind.noun.plural() + "/" + model.uuid))
                .entity(view(model, base)).build());
    }

    @GET
    public Uni<Map<String, Object>> list(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @RestQuery("all_tenants") String allTenants, @RestQuery("project_id") String projectId, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, allTenants, projectId, uri, "");
    }

    /** Zed lists whole models at both paths. */
    @GET
    @Path("/detail")
    public Uni<Map<String, Object>> detail(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @RestQuery("all_tenants") String allTenants, @RestQuery("project_id") String projectId, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, allTenants, projectId, uri, "/detail");
    }

    @GET
    @Path("/{ident}")
    public Uni<BayModelView> get(@RestPath String ident, @Context UriInfo uri) {
        return service.get(ident, request.caller(), kind).map(m -> view(m, ResponseLinks.base(uri, config)));
    }

    @PATCH
    @Path("/{ident}")
    public Uni<BayModelView> update(@RestPath String ident, List<JsonPatch.Op> patch, @Context UriInfo uri) {
        return service.update(ident, patch, current -> patches.apply(current, patch), request.caller(), kind).map(m -> view(m, ResponseLinks.base(uri, config)));
    }

    @DELETE
    @Path("/{ident}")
    // clients send DELETE with no body and whatever Content-Type (python-magnumclient: octet-stream)
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Void>> delete(@RestPath String ident) {
        return service.delete(ident, request.caller(), kind).map(v -> RestResponse.noContent());
    }

    private Uni<Map<String, Object>> page(String limit, String marker, String sortKey, String sortDir,
            String allTenants, String projectId, UriInfo uri,
            String suffix) {
        Paging.Page page = BayModelRepository.PAGING.page(limit, marker, sortKey, sortDir);
        String base = ResponseLinks.base(uri, config);
        return service.list(request.caller(), page, allTenants, projectId, kind).map(models -> ResponseLinks.collection(kind.noun.plural(),
                models.stream().map(m -> view(m, base)).toList(),
                Paging.next(models, page, base + "/v1/" + kind.noun.plural() + suffix, m -> m.uuid)));
    }

    private BayModelView view(BayModel m, String base) {
        return BayModelView.of(m, base, kind.noun.plural(), kind.showsOwner);
    }
}
