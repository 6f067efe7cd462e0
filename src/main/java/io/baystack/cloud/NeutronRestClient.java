package io.baystack.cloud;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.baystack.cloud.CloudPayloads.NetworkList;
import io.baystack.cloud.CloudPayloads.SubnetList;
import io.smallrye.mutiny.Uni;

/** Neutron v2.0's networks and subnets, filtered by name or id (base: the network endpoint). */
@Path("/v2.0")
@Produces(MediaType.APPLICATION_JSON)
interface NeutronRestClient {

    @GET
    @Path("/networks")
    Uni<NetworkList> networks(@HeaderParam("X-Auth-Token") String token, @QueryParam("name") String name,
            @QueryParam("id") String id);

    @GET
    @Path("/subnets")
    Uni<SubnetList> subnets(@HeaderParam("X-Auth-Token") String token, @QueryParam("name") String name,
            @QueryParam("id") String id);
}
