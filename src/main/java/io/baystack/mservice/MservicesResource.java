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
import io.baystack.db.NativeSelects;
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
        // up or down on the database's clock, the one the reports are stamped with: a process whose own
        // clock is off never calls a live function down (or a dead one up)
        return Panache.withSession(() -> Panache.getSession().chain(s -> NativeSelects.bind(s.createNativeQuery(
                "select m.id, m.host, m.binary_name, m.report_count, m.disabled, m.disabled_reason, m.created_at,"
                + " m.updated_at, m.updated_at > clock_timestamp() - make_interval(secs => :down) as up from mservice m"
                + " where " + NativeSelects.uncached("m.id") + " order by m.host, m.binary_name", Object[].class))
                .setParameter("down", config.mservices().downAfter().toMillis() / 1000.0).getResultList()))
                .map(rows -> Map.of("mservices", rows.stream().map(MservicesResource::view).toList()));
    }

    private static MserviceView view(Object[] r) {
        // columns: id, host, binary_name, report_count, disabled, disabled_reason, created_at, updated_at, up
        return new MserviceView(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                Boolean.TRUE.equals(r[8]) ? "up" : "down", ((Number) r[3]).longValue(), Boolean.TRUE.equals(r[4]),
                (String) r[5], Timestamps.format(instant(r[6])), Timestamps.format(instant(r[7])));
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return value == null ? null : Instant.parse(String.valueOf(value));
    }
}
