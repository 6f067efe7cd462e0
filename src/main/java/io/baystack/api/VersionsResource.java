package io.baystack.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import io.baystack.config.BaystackConfig;

/** {@code GET /} and {@code GET /v1}: public descriptions of the API, as Magnum serves them. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class VersionsResource {

    private final BaystackConfig config;

    VersionsResource(BaystackConfig config) {
        this.config = config;
    }

    @GET
    public Map<String, Object> root(@Context UriInfo uri) {
        return Map.of("name", "OpenStack Magnum API",
                "description", "Magnum is an OpenStack project which aims to provide container cluster management.",
                "versions", List.of(v1(ResponseLinks.base(uri, config))));
    }

    @GET
    @Path("v1")
    public Map<String, Object> v1(@Context UriInfo uri) {
        String base = ResponseLinks.base(uri, config);
        return Map.of("id", "v1", "media_types", List.of(Map.of("base", "application/json",
                "type", "application/vnd.openstack.magnum.v1+json")),
                "links", List.of(Map.of("href", base + "/v1/", "rel", "self")),
                "bays", List.of(Map.of("href", base + "/v1/bays/", "rel", "self")),
                "baymodels", List.of(Map.of("href", base + "/v1/baymodels/", "rel", "self")));
    }

    private static Map<String, Object> v1(String base) {
        return Map.of("id", "v1", "status", "CURRENT", "min_version", Microversion.MIN.toString(),
                "max_version", Microversion.MAX.toString(),
                "links", List.of(Map.of("href", base + "/v1/", "rel", "self")));
    }
}
