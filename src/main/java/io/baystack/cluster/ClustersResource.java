package io.baystack.cluster;

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
import io.baystack.api.Idents;
import io.baystack.api.JsonPatch;
import io.baystack.api.Microversion;
import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.baystack.api.Validation;
import io.baystack.api.ResponseLinks;
import io.baystack.api.StrictStrings;
import io.baystack.bay.Bay;
import io.baystack.bay.BayListing;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayService;
import io.baystack.bay.BayUpdates;
import io.baystack.baymodel.BayModelService;
import io.baystack.baymodel.ModelKind;
import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Uni;

/**
 * Bays under today's name, as the stock clients call them: the same service, cluster field names.
 * Create, update, resize answer 202 {"uuid"} at every microversion; delete 204.
 */
@Path("/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClustersResource {

    /** From 1.10 a cluster may have no minions. */
    static final Microversion ZERO_NODES = new Microversion(1, 10);
    /** The resize action came with 1.7. */
    static final Microversion RESIZE = new Microversion(1, 7);

    /** The body of {@code POST /v1/clusters/{ident}/actions/resize}. */
    @StrictStrings.Checked
    public record ResizeRequest(@JsonProperty("node_count") Integer nodeCount,
            @JsonProperty("nodes_to_remove") List<String> nodesToRemove, String nodegroup) {
    }

    /** The body of {@code POST /v1/clusters/{ident}/actions/upgrade}. */
    @StrictStrings.Checked
    public record UpgradeRequest(@JsonProperty("cluster_template") String clusterTemplate,
            @JsonProperty("max_batch_size") Integer maxBatchSize, String nodegroup) {
    }

    /** Upgrade came with 1.8. */
    static final Microversion UPGRADE = new Microversion(1, 8);

    private final BayService service;
    private final BayUpdates updates;
    private final ApiRequest request;
    private final BaystackConfig config;

    ClustersResource(BayService service, BayUpdates updates, ApiRequest request, BaystackConfig config) {
        this.service = service;
        this.updates = updates;
        this.request = request;
        this.config = config;
    }

    @POST
    public Uni<RestResponse<Map<String, String>>> create(ClusterCreateRequest body) {
        if (body == null) {
            throw BaystackException.invalid("The request body must be a JSON object describing the cluster.");
        }
        return service.create(body.toRequest(minNodes(), BayModelService.textLabels(body.labels(), ModelKind.CLUSTER_TEMPLATE)),
                ClusterCreateRequest.NAMES, request.caller()).map(this::accepted);
    }

    @GET
    public Uni<Map<String, Object>> list(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @RestQuery("all_tenants") String allTenants, @RestQuery("project_id") String projectId, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, allTenants, projectId, uri, "", false);
    }

    @GET
    @Path("/detail")
    public Uni<Map<String, Object>> detail(@RestQuery String limit, @RestQuery String marker,
            @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @RestQuery("all_tenants") String allTenants, @RestQuery("project_id") String projectId, @Context UriInfo uri) {
        return page(limit, marker, sortKey, sortDir, allTenants, projectId, uri, "/detail", true);
    }

    @GET
    @Path("/{ident}")
    public Uni<ClusterView> get(@RestPath String ident, @Context UriInfo uri) {
        return service.withProgress(ident, request.caller(), Noun.CLUSTER)
                .map(w -> ClusterView.full(w.bay(), ResponseLinks.base(uri, config), w.progress(), w.modelLabels()));
    }

    @PATCH
    @Path("/{ident}")
    public Uni<RestResponse<Map<String, String>>> update(@RestPath String ident, List<JsonPatch.Op> patch,
            @RestQuery String rollback) {
        return updates.update(Idents.canonical(ident), patch, request.caller(), Noun.CLUSTER, minNodes(),
                Validation.rollback(rollback, request.microversion())).map(this::accepted);
    }

    @POST
    @Path("/{ident}/actions/resize")
    public Uni<RestResponse<Map<String, String>>> resize(@RestPath String ident, ResizeRequest body) {
        if (!request.microversion().atLeast(RESIZE)) {
            throw BaystackException.notFound("The resource could not be found.");
        }
        if (body == null) {
            throw BaystackException.invalid("The request body must be a JSON object with node_count.");
        }
        return updates.resize(Idents.canonical(ident), body.nodeCount(), body.nodesToRemove(), body.nodegroup(), request.caller(),
                Noun.CLUSTER, minNodes())
                .map(this::accepted);
    }

    @POST
    @Path("/{ident}/actions/upgrade")
    public Uni<RestResponse<Map<String, String>>> upgrade(@RestPath String ident, UpgradeRequest body) {
        if (!request.microversion().atLeast(UPGRADE)) {
            throw BaystackException.notFound("The resource could not be found.");
        }
        if (body == null) {
            throw BaystackException.invalid("The request body must be a JSON object with cluster_template.");
        }
        if (body.nodegroup() != null && !body.nodegroup().isBlank()) {
            return updates.upgradeNodeGroup(Idents.canonical(ident), body.nodegroup(), body.clusterTemplate(), body.maxBatchSize(),
                    request.caller()).map(this::accepted);
        }
        return updates.upgrade(Idents.canonical(ident), body.clusterTemplate(), body.maxBatchSize(), request.caller(),
                Noun.CLUSTER).map(this::accepted);
    }

    @DELETE
    @Path("/{ident}")
    // clients send DELETE with no body and whatever Content-Type (python-magnumclient: octet-stream)
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Void>> delete(@RestPath String ident) {
        return service.delete(Idents.canonical(ident), request.caller(), Noun.CLUSTER).map(v -> RestResponse.noContent());
    }

    private int minNodes() {
        return request.microversion().atLeast(ZERO_NODES) ? 0 : 1;
    }

    private RestResponse<Map<String, String>> accepted(Bay bay) {
        return RestResponse.ResponseBuilder.<Map<String, String>>create(RestResponse.Status.ACCEPTED)
                .entity(Map.of("uuid", bay.uuid)).build();
    }

    private Uni<Map<String, Object>> page(String limit, String marker, String sortKey, String sortDir,
            String allTenants, String projectId, UriInfo uri,
            String suffix, boolean full) {
        Paging.Page page = BayRepository.PAGING.page(limit, marker, sortKey, sortDir);
        String base = ResponseLinks.base(uri, config);
        String next = base + "/v1/clusters" + suffix;
        if (!full) {
            return service.listSummaries(request.caller(), page, allTenants, projectId, Noun.CLUSTER).map(bays -> ResponseLinks
                    .collection("clusters", bays.stream().map(b -> ClusterView.summary(b, base)).toList(),
                            Paging.next(bays, page, next, BayListing::uuid)));
        }
        return service.list(request.caller(), page, allTenants, projectId, Noun.CLUSTER).map(bays -> ResponseLinks.collection("clusters",
                bays.stream().map(b -> ClusterView.full(b, base)).toList(), Paging.next(bays, page, next, b -> b.uuid)));
    }
}
