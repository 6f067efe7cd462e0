package io.baystack.cloud;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.baystack.cloud.CloudPayloads.Image;
import io.baystack.cloud.CloudPayloads.ImageList;
import io.smallrye.mutiny.Uni;

/** Glance v2's images, as far as a look-up by id or name needs (base: the image endpoint). */
@Path("/v2/images")
@Produces(MediaType.APPLICATION_JSON)
interface GlanceRestClient {

    @GET
    Uni<ImageList> byName(@HeaderParam("X-Auth-Token") String token, @QueryParam("name") String name);

    @GET
    @Path("/{id}")
    Uni<Image> byId(@HeaderParam("X-Auth-Token") String token, @PathParam("id") String id);
}
