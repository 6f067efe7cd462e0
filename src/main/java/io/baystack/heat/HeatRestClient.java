package io.baystack.heat;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.baystack.heat.HeatPayloads.EventList;
import io.baystack.heat.HeatPayloads.ResourceList;
import io.baystack.heat.HeatPayloads.StackCreate;
import io.baystack.heat.HeatPayloads.StackCreated;
import io.baystack.heat.HeatPayloads.StackEnvelope;
import io.baystack.heat.HeatPayloads.StackList;
import io.baystack.heat.HeatPayloads.StackPatch;
import io.smallrye.mutiny.Uni;

/** The Heat v1 orchestration API (base {@code …/v1}), mirrored as Heat defines it. Use {@link HeatStacks}. */
@Path("/{project}/stacks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface HeatRestClient {

    String TOKEN = "X-Auth-Token";

    @POST
    Uni<StackCreated> create(@PathParam("project") String project, @HeaderParam(TOKEN) String token, StackCreate stack);

    /** Lists stacks; {@code global_tenant} (with a system-scoped admin token) spans every project. */
    @GET
    Uni<StackList> list(@PathParam("project") String project, @HeaderParam(TOKEN) String token,
            @QueryParam("name") String name, @QueryParam("id") List<String> ids,
            @QueryParam("global_tenant") Boolean globalTenant);

    /** Updates the stack in place (Heat answers 202 and works on). */
    @PATCH
    @Path("/{name}/{id}")
    Uni<Void> patch(@PathParam("project") String project, @HeaderParam(TOKEN) String token,
            @PathParam("name") String name, @PathParam("id") String id, StackPatch patch);

    /** Deletes the stack (Heat answers 204 and works on). */
    @DELETE
    @Path("/{name}/{id}")
    Uni<Void> delete(@PathParam("project") String project, @HeaderParam(TOKEN) String token,
            @PathParam("name") String name, @PathParam("id") String id);

    /** The stack's resources, nested stacks' included down to {@code nested_depth}. */
    @GET
    @Path("/{name}/{id}/resources")
    Uni<ResourceList> resources(@PathParam("project") String project, @HeaderParam(TOKEN) String token,
            @PathParam("name") String name, @PathParam("id") String id, @QueryParam("nested_depth") int nestedDepth);

    /** The stack's events, nested stacks' included down to {@code nested_depth}, after {@code marker} (an event id). */
    @GET
    @Path("/{name}/{id}/events")
    Uni<EventList> events(@PathParam("project") String project, @HeaderParam(TOKEN) String token,
            @PathParam("name") String name, @PathParam("id") String id, @QueryParam("nested_depth") int nestedDepth,
            @QueryParam("sort_dir") String sortDir, @QueryParam("marker") String marker);

    @GET
    @Path("/{name}/{id}")
    Uni<StackEnvelope> get(@PathParam("project") String project, @HeaderParam(TOKEN) String token,
            @PathParam("name") String name, @PathParam("id") String id);
}
