package io.baystack.observability;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.baystack.config.BaystackConfig;
import io.baystack.keystone.ServiceCatalog;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness of what baystack cannot work without besides PostgreSQL: Keystone (every request's token)
 * and Heat (every bay). Each check GETs the service's unauthenticated version document, bounded by
 * {@code baystack.health.timeout}; any answer below 500 is UP (Heat answers 300, Keystone 200), no
 * answer in time or a 5xx is DOWN with the reason.
 */
final class CloudReadiness {

    private static final Map<String, VersionDocument> CLIENTS = new ConcurrentHashMap<>();

    private CloudReadiness() {
    }

    @Readiness
    @ApplicationScoped
    static class KeystoneCheck implements AsyncHealthCheck {

        private final BaystackConfig config;

        KeystoneCheck(BaystackConfig config) {
            this.config = config;
        }

        @Override
        public Uni<HealthCheckResponse> call() {
            return probe("keystone", Uni.createFrom().item(config.keystone().url()), config.health().timeout());
        }
    }

    @Readiness
    @ApplicationScoped
    static class HeatCheck implements AsyncHealthCheck {

        private final BaystackConfig config;
        private final ServiceCatalog catalog;

        HeatCheck(BaystackConfig config, ServiceCatalog catalog) {
            this.config = config;
            this.catalog = catalog;
        }

        @Override
        public Uni<HealthCheckResponse> call() {
            // the endpoint override, else the catalog's (which needs Keystone); Heat's versions are at its root
            Uni<String> base = config.heat().endpointOverride().map(u -> Uni.createFrom().item(u))
                    .orElseGet(catalog::orchestrationBase);
            return probe("heat", base.map(CloudReadiness::root), config.health().timeout());
        }
    }

    /** The service root of an endpoint such as {@code http://host:8004/v1/<project>}. */
    static String root(String endpoint) {
        int version = endpoint.indexOf("/v1");
        return version < 0 ? endpoint : endpoint.substring(0, version + 1);
    }

    private static Uni<HealthCheckResponse> probe(String name, Uni<String> url, Duration timeout) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name);
        return url.chain(u -> {
            response.withData("url", u);
            return client(u, timeout).get()
                    .map(r -> r.getStatus())
                    .onFailure(WebApplicationException.class)
                    .recoverWithItem(e -> ((WebApplicationException) e).getResponse().getStatus());
        })
                .ifNoItem().after(timeout).failWith(() -> new IllegalStateException("no answer within " + timeout.toMillis() + " ms"))
                .map(status -> {
                    response.withData("status", status);
                    return status < 500 ? response.up().build()
                            : response.down().withData("reason", "answered HTTP " + status).build();
                })
                .onFailure().recoverWithItem(e -> response.down().withData("reason", reason(e)).build());
    }

    private static VersionDocument client(String url, Duration timeout) {
        return CLIENTS.computeIfAbsent(url, u -> QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(u))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .build(VersionDocument.class));
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }
}
