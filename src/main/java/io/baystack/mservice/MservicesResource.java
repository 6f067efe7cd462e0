package io.baystack.mservice;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.ApiRequest;
import io.baystack.api.Policy;
import io.baystack.api.Timestamps;
import io.baystack.config.BaystackConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /v1/mservices} (admin): baystack's running functions, each host reporting in
 * PostgreSQL every {@code baystack.mservices.report-interval}; "down" when silent for
 * {@code down-after} (see {@link MserviceReporter}).
 */
@Path("/v1/mservices")
@Produces(MediaType.APPLICATION_JSON)
public class MservicesResource {


    /** One function as Magnum shows a service. */
    public record MserviceView(long id, String host, String binary, String state,
            @JsonProperty("report_count") long reportCount, boolean disabled,
            @JsonProperty("disabled_reason") String disabledReason,
            @JsonProperty("created_at") String createdAt, @JsonProperty("updated_at") String updatedAt) {
    }

    private final ApiRequest request;
    private final BaystackConfig config;

    MservicesResource(ApiRequest request, BaystackConfig config) {
        this.request = request;
        this.config = config;
    }

    @GET
    public Uni<Map<String, List<MserviceView>>> list() {
        Policy.requireAdmin(request.caller(), "magnum-service:get_all");
        Instant upSince = Instant.now().minus(config.mservices().downAfter());
        return Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createSelectionQuery("from Mservice order by host, binary", Mservice.class).getResultList()))
                .map(all -> Map.of("mservices", all.stream().map(m -> new MserviceView(m.id, m.host, m.binary,
                        m.updatedAt.isAfter(upSince) ? "up" : "down", m.reportCount, m.disabled, m.disabledReason,
                        Timestamps.format(m.createdAt), Timestamps.format(m.updatedAt))).toList()));
    }
}
