package io.baystack.stats;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import io.baystack.api.ApiRequest;
import io.baystack.api.BaystackException;
import io.baystack.api.Policy;
import io.baystack.bay.BayRepository;
import io.baystack.keystone.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /v1/stats[?project_id=&type=cluster]}: how many clusters and nodes (masters + minions).
 * A user sees their project's; an admin everyone's, or one project's.
 */
@Path("/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    private final BayRepository bays;
    private final ApiRequest request;

    StatsResource(BayRepository bays, ApiRequest request) {
        this.bays = bays;
        this.request = request;
    }

    @GET
    public Uni<Map<String, Long>> stats(@RestQuery("project_id") String projectId, @RestQuery String type) {
        if (type != null && !type.equals("cluster")) {
            throw BaystackException.invalid("Invalid stats type: " + io.baystack.api.Validation.printable(type)
                    + ". Only 'cluster' is supported.");
        }
        Caller caller = request.caller();
        String project = projectId;
        if (!caller.isAdmin()) {
            if (project != null && !project.equals(caller.projectId())) {
                throw Policy.denied("magnum-service:stats");
            }
            project = caller.projectId();
        }
        String scope = project;
        return Panache.withSession(() -> bays.stats(scope))
                .map(s -> Map.of("clusters", s[0], "nodes", s[1]));
    }
}
