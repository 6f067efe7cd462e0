package io.baystack.cluster;

import java.util.Comparator;
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
import io.baystack.api.ResponseLinks;
import io.baystack.api.StrictStrings;
import io.baystack.api.Validation;
import io.baystack.bay.NodeGroup;
import io.baystack.bay.NodeGroupService;
import io.baystack.baymodel.BayModelService;
import io.baystack.baymodel.ModelKind;
import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Uni;

/**
 * A cluster's node groups (1.9), as {@code openstack coe nodegroup …} calls them. Create and update answer
 * 202 with the group, delete 204; below 1.9 the routes do not exist (404, as for resize below 1.7).
 */
@Path("/v1/clusters/{cluster}/nodegroups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NodeGroupsResource {

    static final Microversion NODEGROUPS = new Microversion(1, 9);

    /** The body of {@code POST /v1/clusters/{c}/nodegroups}. */
    @StrictStrings.Checked
    public record CreateRequest(String name, String role, @JsonProperty("node_count") Integer nodeCount,
            @JsonProperty("min_node_count") Integer minNodeCount, @JsonProperty("max_node_count") Integer maxNodeCount,
            @JsonProperty("flavor_id") String flavorId, @JsonProperty("image_id") String imageId,
            @JsonProperty("docker_volume_size") Integer dockerVolumeSize, Map<String, Object> labels,
            @JsonProperty("merge_labels") Boolean mergeLabels, @JsonProperty("node_labels") Map<String, String> nodeLabels,
            @JsonProperty("node_taints") List<String> nodeTaints, @JsonProperty("project_id") String projectId) {
    }

    private final NodeGroupService service;
    private final ApiRequest request;
    private final BaystackConfig config;

    NodeGroupsResource(NodeGroupService service, ApiRequest request, BaystackConfig config) {
        this.service = service;
        this.request = request;
        this.config = config;
    }

    @GET
    public Uni<Map<String, Object>> list(@RestPath String cluster, @RestQuery String role, @RestQuery String limit,
            @RestQuery String marker, @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @Context UriInfo uri) {
        return page(cluster, role, limit, marker, sortKey, sortDir, uri, false);
    }

    @GET
    @Path("/detail")
    public Uni<Map<String, Object>> detail(@RestPath String cluster, @RestQuery String role, @RestQuery String limit,
            @RestQuery String marker, @RestQuery("sort_key") String sortKey, @RestQuery("sort_dir") String sortDir,
            @Context UriInfo uri) {
        return page(cluster, role, limit, marker, sortKey, sortDir, uri, true);
    }

    @GET
    @Path("/{nodegroup}")
    public Uni<NodeGroupView> get(@RestPath String cluster, @RestPath String nodegroup, @Context UriInfo uri) {
        gate();
        return service.get(Idents.canonical(cluster), nodegroup, request.caller())
                .map(g -> NodeGroupView.full(g.groups().get(0), g.bay(), ResponseLinks.base(uri, config)));
    }

    @POST
    public Uni<RestResponse<NodeGroupView>> create(@RestPath String cluster, CreateRequest body, @Context UriInfo uri) {
        gate();
        if (body == null) {
            throw BaystackException.invalid("The request body must be a JSON object describing the node group.");
        }
        NodeGroupService.Request r = new NodeGroupService.Request(body.name(), body.role(), body.nodeCount(),
                body.minNodeCount(), body.maxNodeCount(), body.flavorId(), body.imageId(), body.dockerVolumeSize(),
                BayModelService.textLabels(body.labels(), ModelKind.CLUSTER_TEMPLATE), Boolean.TRUE.equals(body.mergeLabels()),
                body.nodeLabels(), body.nodeTaints());
        String c = Idents.canonical(cluster);
        return service.create(c, r, request.caller(), request.microversion().atLeast(ClustersResource.ZERO_NODES) ? 0 : 1)
                .chain(g -> service.get(c, g.uuid, request.caller()))
                .map(g -> accepted(NodeGroupView.full(g.groups().get(0), g.bay(), ResponseLinks.base(uri, config))));
    }

    @PATCH
    @Path("/{nodegroup}")
    public Uni<RestResponse<NodeGroupView>> update(@RestPath String cluster, @RestPath String nodegroup,
            List<JsonPatch.Op> patch, @Context UriInfo uri) {
        gate();
        String c = Idents.canonical(cluster);
        return service.update(c, nodegroup, patch, request.caller())
                .chain(g -> service.get(c, g.uuid, request.caller()))
                .map(g -> accepted(NodeGroupView.full(g.groups().get(0), g.bay(), ResponseLinks.base(uri, config))));
    }

    @DELETE
    @Path("/{nodegroup}")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Void>> delete(@RestPath String cluster, @RestPath String nodegroup) {
        gate();
        return service.delete(Idents.canonical(cluster), nodegroup, request.caller()).map(v -> RestResponse.noContent());
    }

    private void gate() {
        if (!request.microversion().atLeast(NODEGROUPS)) {
            throw BaystackException.notFound("The resource could not be found.");
        }
    }

    private static <T> RestResponse<T> accepted(T body) {
        return RestResponse.ResponseBuilder.<T>create(RestResponse.Status.ACCEPTED).entity(body).build();
    }

    /** A cluster has a handful of groups: sorted and paged in memory, by Magnum's parameters. */
    private Uni<Map<String, Object>> page(String cluster, String role, String limit, String marker, String sortKey,
            String sortDir, UriInfo uri, boolean full) {
        gate();
        Integer max = limit == null || limit.isBlank() ? null : Validation.integer("limit",
                com.fasterxml.jackson.databind.node.TextNode.valueOf(limit));
        Validation.atLeast("limit", max, 1);
        Comparator<NodeGroup> order = comparator(sortKey);
        if ("desc".equalsIgnoreCase(sortDir)) {
            order = order.reversed();
        } else if (sortDir != null && !sortDir.isBlank() && !"asc".equalsIgnoreCase(sortDir)) {
            throw BaystackException.invalid("Invalid sort direction: " + Validation.printable(sortDir)
                    + ". Acceptable values are 'asc' or 'desc'");
        }
        Comparator<NodeGroup> sorted = order;
        String base = ResponseLinks.base(uri, config);
        return service.list(Idents.canonical(cluster), request.caller(), role).map(found -> {
            List<NodeGroup> all = found.groups().stream().sorted(sorted).toList();
            int from = 0;
            if (marker != null && !marker.isBlank()) {
                int at = 0;
                while (at < all.size() && !all.get(at).uuid.equals(marker)) {
                    at++;
                }
                if (at == all.size()) {
                    throw BaystackException.notFound("Nodegroup " + Validation.printable(marker) + " could not be found.");
                }
                from = at + 1;
            }
            int to = max == null ? all.size() : Math.min(all.size(), from + max);
            List<NodeGroup> page = all.subList(from, to);
            String next = max != null && to < all.size() && !page.isEmpty()
                    ? base + "/v1/clusters/" + found.bay().uuid + "/nodegroups" + (full ? "/detail" : "") + "?limit=" + max
                            + "&marker=" + page.get(page.size() - 1).uuid
                    : null;
            return ResponseLinks.collection("nodegroups", page.stream()
                    .map(g -> full ? NodeGroupView.full(g, found.bay(), base) : NodeGroupView.summary(g, found.bay(), base))
                    .toList(), next);
        });
    }

    private static Comparator<NodeGroup> comparator(String key) {
        if (key == null || key.isBlank() || key.equals("id")) {
            return (a, b) -> 0; // the stored order: the defaults, then the extra groups oldest first
        }
        return switch (key) {
            case "uuid" -> Comparator.comparing(g -> g.uuid);
            case "name" -> Comparator.comparing(g -> g.name);
            case "role" -> Comparator.comparing(g -> g.role);
            case "status" -> Comparator.comparing(g -> g.status);
            case "node_count" -> Comparator.comparingInt(g -> g.nodeCount);
            case "created_at" -> Comparator.comparing(g -> g.createdAt, Comparator.nullsFirst(Comparator.naturalOrder()));
            default -> throw BaystackException.invalid("The sort_key value \"" + Validation.printable(key)
                    + "\" is an internal attribute or not a node group's.");
        };
    }
}
