package io.baystack.baymodel.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.baystack.api.ApiRequest;
import io.baystack.api.BaystackException;
import io.baystack.api.Paging;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.api.ResponseLinks;
import io.baystack.baymodel.BayModelService;
import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Uni;

@Path("/v1/baymodels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BayModelsResource {

    private final BayModelService service;
    private final ApiRequest request;
    private final BaystackConfig config;

    BayModelsResource(BayModelService service, ApiRequest request, BaystackConfig config) {
        this.service = service;
        this.request = request;
        this.config = config;
    }

    @POST
    public Uni<RestResponse<BayModelView>> create(BayModelCreateRequest body, @Context UriInfo uri) {
        if (body == null) {
            throw BaystackException.invalid("The request body must be a JSON object describing the baymodel.");
        }
        String base = ResponseLinks.base(uri, config);
        return service.create(body, request.caller()).map(model -> RestResponse.ResponseBuilder
                .<BayModelView>created(URI.create(base + "/v1/baymodels/" + model.uuid))
                .entity(BayModelView.of(model, base)).build());
    }

    /** Zed lists whole bay models, at both paths. */
    @GET
    public Uni<Map<String, Object>> list(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, uri, "/v1/baymodels");
    }

    @GET
    @Path("/detail")
    public Uni<Map<String, Object>> detail(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, uri, "/v1/baymodels/detail");
    }

    private Uni<Map<String, Object>> page(String limit, String marker, String sortKey, String sortDir, UriInfo uri,
            String path) {
        Paging.Page page = BayModelRepository.PAGING.page(limit, marker, sortKey, sortDir);
        String base = ResponseLinks.base(uri, config);
        return service.list(request.caller(), page).map(models -> ResponseLinks.collection("baymodels",
                models.stream().map(m -> BayModelView.of(m, base)).toList(),
                Paging.next(models, page, base + path, m -> m.uuid)));
    }

    @GET
    @Path("/{ident}")
    public Uni<BayModelView> get(@RestPath String ident, @Context UriInfo uri) {
        return service.get(ident, request.caller()).map(m -> BayModelView.of(m, ResponseLinks.base(uri, config)));
    }

    @DELETE
    @Path("/{ident}")
    public Uni<RestResponse<Void>> delete(@RestPath String ident) {
        return service.delete(ident, request.caller()).map(v -> RestResponse.noContent());
    }
}
