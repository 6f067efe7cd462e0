package io.baystack.conductor;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.bay.Bay;
import io.baystack.bay.BayChange;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayTransition;
import io.baystack.certificate.CertificateService;
import io.baystack.certificate.CertificateService.ClientCredentials;
import io.baystack.config.BaystackConfig;
import io.baystack.runtime.FreshContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * The health of each finished bay's Kubernetes, as Magnum's health monitor shows it: a periodic job of
 * the status-sync function (standalone, a timer of its own beside the sync's, so that an API that does not
 * answer never holds the sync up; on Knative, one more job the round's HTTP call awaits, so nothing runs
 * on in a pod that may be scaled away), due per bay on the database's clock
 * ({@code baystack.bay-health.interval}), a bounded number per round and at once. A check asks the bay's API {@code /readyz} and {@code /api/v1/nodes} with a client certificate
 * the bay's CA signs (O=system:masters), trusting that CA alone: HEALTHY when the API is ready and every
 * node Ready, UNHEALTHY with what is not, UNKNOWN when the API cannot be reached.
 */
@ApplicationScoped
public class BayHealthCheck {

    public static final String HEALTHY = "HEALTHY";
    public static final String UNHEALTHY = "UNHEALTHY";
    public static final String UNKNOWN = "UNKNOWN";
    static final java.util.Set<String> STATUSES = java.util.Set.of(HEALTHY, UNHEALTHY, UNKNOWN);

    private static final Logger LOG = Logger.getLogger(BayHealthCheck.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a check found. */
    public record Found(String status, Map<String, String> reason) {
    }

    private final BayRepository bays;
    private final CertificateService certificates;
    private final io.baystack.config.BayHealthConfig config;
    private final Vertx vertx;
    private final FreshContext fresh;

    BayHealthCheck(BayRepository bays, CertificateService certificates, BaystackConfig config, Vertx vertx, FreshContext fresh) {
        this.bays = bays;
        this.certificates = certificates;
        this.config = config.bayHealth();
        this.vertx = vertx;
        this.fresh = fresh;
    }

    @io.quarkus.scheduler.Scheduled(identity = "bay-health", every = "${baystack.reconciler.interval}",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onTimer() {
        return fresh.run(this::round).onFailure().invoke(e -> LOG.warnf("health checks failed: %s", e.getMessage()))
                .onFailure().recoverWithItem(0).replaceWithVoid();
    }

    /** The bays due, checked and recorded; answers how many were checked. Off: none. */
    public Uni<Integer> round() {
        if ("off".equalsIgnoreCase(config.interval())) {
            return Uni.createFrom().item(0);
        }
        long every = Duration.parse("PT" + config.interval().toUpperCase(java.util.Locale.ROOT)).toSeconds();
        return Panache.withSession(() -> bays.healthDue(every, config.batch()))
                .chain(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUni(bay -> fresh.run(() -> check(bay))
                                .onFailure().invoke(e -> LOG.warnf("bay %s: health check failed: %s", bay.uuid, e.getMessage()))
                                .onFailure().recoverWithItem((Found) null))
                        .merge(config.concurrency()).collect().asList().map(List::size));
    }

    /** Checks one bay now and records what was found (unless the bay moved on meanwhile). */
    public Uni<Found> check(Bay bay) {
        return certificates.clientCredentials(bay).chain(credentials -> probe(bay.apiAddress, credentials))
                // the bay's CA cannot be read (a key sealed with a key this process lacks): recorded, so the bay is
                // not due again every round
                .onFailure().recoverWithItem(e -> new Found(UNKNOWN, Map.of("api", "cannot be checked: " + e.getMessage())))
                .call(found -> bays.apply(BayTransition.HEALTH_RECORDED, bay.id, BayChange.health(found.status(), found.reason()))
                        .invoke(applied -> {
                            if (applied.changed() && !found.status().equals(bay.healthStatus)) {
                                LOG.infof("bay %s: health %s -> %s %s", bay.uuid, bay.healthStatus, found.status(), found.reason());
                            }
                        }));
    }

    private Uni<Found> probe(String api, ClientCredentials credentials) {
        URI uri = URI.create(api);
        boolean tls = "https".equals(uri.getScheme());
        if (tls && credentials == null) {
            return Uni.createFrom().item(new Found(UNKNOWN, Map.of("api", "the bay has no CA to reach its API with")));
        }
        HttpClient client = BayApiClients.open(vertx, uri, credentials, config.timeout());
        int port = BayApiClients.port(uri);
        return get(client, uri.getHost(), port, "/readyz").chain(ready -> {
            if (ready.statusCode() != 200) {
                return Uni.createFrom().item(new Found(UNHEALTHY, Map.of("api", ready.statusCode() + " " + ready.body().trim())));
            }
            return get(client, uri.getHost(), port, "/api/v1/nodes").map(BayHealthCheck::nodes)
                    .onFailure().recoverWithItem(e -> new Found(UNKNOWN, Map.of("api", "ok", "nodes", "cannot be read: " + e.getMessage())));
        })
                .onFailure().recoverWithItem(e -> new Found(UNKNOWN, Map.of("api", "unreachable: " + e.getMessage())))
                .eventually(() -> client.close().onFailure().recoverWithNull());
    }

    private record Answer(int statusCode, String body) {
    }

    private Uni<Answer> get(HttpClient client, String host, int port, String path) {
        return client.request(HttpMethod.GET, port, host, path)
                .chain(request -> request.putHeader("Accept", "application/json").send())
                .chain(response -> response.body().map(body -> new Answer(response.statusCode(), body.toString())))
                .ifNoItem().after(config.timeout()).failWith(() -> new IllegalStateException(
                        "no answer from " + path + " within " + config.timeout().toSeconds() + "s"));
    }

    /**
     * The nodes' Ready conditions, as Magnum's monitor words them ({@code <node>.Ready}: True, False, Unknown).
     * While the nodes' kubelets do not all run one release (an upgrade on its way through the nodes, or one
     * that stopped half way), each node's release too ({@code <node>.kubelet}); it changes no status.
     */
    static Found nodes(Answer answer) {
        if (answer.statusCode() != 200) {
            return new Found(UNHEALTHY, Map.of("api", "ok", "nodes", answer.statusCode() + " " + answer.body().trim()));
        }
        Map<String, String> reason = new LinkedHashMap<>();
        reason.put("api", "ok");
        boolean healthy = true;
        Map<String, String> kubelets = new LinkedHashMap<>();
        try {
            for (JsonNode node : JSON.readTree(answer.body()).path("items")) {
                kubelets.put(node.path("metadata").path("name").asText() + ".kubelet",
                        node.path("status").path("nodeInfo").path("kubeletVersion").asText("unknown"));
                String ready = "Unknown";
                for (JsonNode condition : node.path("status").path("conditions")) {
                    if ("Ready".equals(condition.path("type").asText())) {
                        ready = condition.path("status").asText("Unknown");
                    }
                }
                reason.put(node.path("metadata").path("name").asText() + ".Ready", ready);
                healthy &= "True".equals(ready);
            }
        } catch (java.io.IOException e) {
            return new Found(UNKNOWN, Map.of("api", "ok", "nodes", "not a node list: " + e.getMessage()));
        }
        if (new java.util.HashSet<>(kubelets.values()).size() > 1) {
            reason.putAll(kubelets);
        }
        return new Found(healthy ? HEALTHY : UNHEALTHY, reason);
    }
}
