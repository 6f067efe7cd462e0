package io.baystack.conductor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.baystack.bay.Bay;
import io.baystack.bay.BayRepository;
import io.baystack.certificate.BayCa;
import io.baystack.certificate.CertificateService;
import io.baystack.runtime.FreshContext;
import io.baystack.support.Api;
import io.baystack.support.FastTier;
import io.baystack.support.KubeApiStandIn;
import io.baystack.support.LocalCloud;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The health of a finished bay's Kubernetes against a TLS stand-in of its API (test code: no Kubernetes
 * can run here), whose server certificate the bay's CA signs and which takes only clients of that CA:
 * HEALTHY, one node NotReady → UNHEALTHY with that node, the API gone → UNKNOWN; the cluster shows each
 * as Magnum does; an admin's PATCH of health_status is taken, anyone else's refused. No Heat: the bay is
 * staged as its stack left it (fast tier).
 */
@QuarkusTest
@FastTier
class BayHealthTest {

    @Inject
    BayHealthCheck health;
    @Inject
    BayRepository bays;
    @Inject
    CertificateService certificates;
    @Inject
    FreshContext fresh;
    @Inject
    Pool pool;
    @Inject
    Vertx vertx;

    private String model;

    @BeforeEach
    void aModel() {
        model = io.baystack.support.Staged.model(pool, "health-test");
    }

    @Test
    void healthyThenANodeNotReadyThenUnreachableAsTheClusterShowsIt() throws Exception {
        Bay bay = stage("CREATE_COMPLETE", "https://127.0.0.1:1");
        BayCa ca = fresh.run(() -> certificates.ensure(bay)).await().atMost(Duration.ofSeconds(30));
        String cluster = "/v1/clusters/" + bay.uuid;
        try (KubeApiStandIn api = KubeApiStandIn.start(vertx, ca.certPem(), ca.keyPem())) {
            api.node("bay-minion-0", "True").node("bay-minion-1", "True").node("bay-master", "True");
            address(bay, api.address());

            assertThat(check(bay).status()).isEqualTo("HEALTHY");
            Api.asDemo().get(cluster).then().statusCode(200).body("health_status", equalTo("HEALTHY"))
                    .body("health_status_reason", equalTo(Map.of("api", "ok", "bay-master.Ready", "True",
                            "bay-minion-0.Ready", "True", "bay-minion-1.Ready", "True")));
            // baystack showed a client certificate of the bay's CA, as an admin of the cluster
            assertThat(api.clients()).isNotEmpty().allMatch(s -> s.contains("CN=baystack-health") && s.contains("O=system:masters"));

            api.node("bay-minion-1", "False");
            assertThat(check(bay).status()).isEqualTo("UNHEALTHY");
            Api.asDemo().get(cluster).then().body("health_status", equalTo("UNHEALTHY"))
                    .body("health_status_reason.'bay-minion-1.Ready'", equalTo("False"))
                    .body("health_status_reason.'bay-minion-0.Ready'", equalTo("True"));

            // an upgrade half way through the nodes: each node's release is shown, the health is the nodes' Ready
            api.node("bay-minion-1", "True").kubelet("bay-master", "v1.35.0").kubelet("bay-minion-0", "v1.35.0");
            assertThat(check(bay).status()).isEqualTo("HEALTHY");
            Api.asDemo().get(cluster).then().body("health_status", equalTo("HEALTHY"))
                    .body("health_status_reason", equalTo(Map.of("api", "ok", "bay-master.Ready", "True",
                            "bay-minion-0.Ready", "True", "bay-minion-1.Ready", "True", "bay-master.kubelet", "v1.35.0",
                            "bay-minion-0.kubelet", "v1.35.0", "bay-minion-1.kubelet", KubeApiStandIn.KUBELET)));
            // all on one release again: no releases shown
            api.kubelet("bay-minion-1", "v1.35.0");
            assertThat(check(bay).reason()).doesNotContainKey("bay-minion-1.kubelet").hasSize(4);

            api.readyz(500);
            assertThat(check(bay).reason()).containsEntry("api", "500 [-]etcd failed");
            Api.asDemo().get(cluster).then().body("health_status", equalTo("UNHEALTHY"));
        }
        // the API is gone: nobody can tell
        assertThat(check(bay).status()).isEqualTo("UNKNOWN");
        Api.asDemo().get(cluster).then().body("health_status", equalTo("UNKNOWN"))
                .body("health_status_reason.api", containsString("unreachable"));
    }

    @Test
    void anApiServedByAnotherCaIsNotTrusted() throws Exception {
        Bay bay = stage("UPDATE_COMPLETE", "https://127.0.0.1:1");
        Bay other = stage("CREATE_COMPLETE", "https://127.0.0.1:1");
        fresh.run(() -> certificates.ensure(bay)).await().atMost(Duration.ofSeconds(30));
        BayCa otherCa = fresh.run(() -> certificates.ensure(other)).await().atMost(Duration.ofSeconds(30));
        try (KubeApiStandIn impostor = KubeApiStandIn.start(vertx, otherCa.certPem(), otherCa.keyPem())) {
            impostor.node("n", "True");
            address(bay, impostor.address());
            BayHealthCheck.Found found = check(bay);
            assertThat(found.status()).isEqualTo("UNKNOWN");
            assertThat(found.reason().get("api")).startsWith("unreachable");
        }
    }

    @Test
    void theDueQueryTakesFinishedBaysNeverCheckedOrCheckedLongAgo() {
        Bay due = stage("CREATE_COMPLETE", "https://127.0.0.1:1");
        Bay building = stage("CREATE_IN_PROGRESS", "https://127.0.0.1:1");
        Bay fresh2 = stage("CREATE_COMPLETE", "https://127.0.0.1:1");
        pool.preparedQuery("update bay set health_checked_at = clock_timestamp() where id = $1").execute(Tuple.of(fresh2.id))
                .await().indefinitely();
        List<String> picked = fresh.run(() -> Panache.withSession(() -> bays.healthDue(60, 10_000)))
                .await().atMost(Duration.ofSeconds(30)).stream().map(b -> b.uuid).toList();
        assertThat(picked).contains(due.uuid).doesNotContain(building.uuid, fresh2.uuid);
    }

    @Test
    void anAdminsPatchOfHealthIsTakenAnyoneElsesRefused() {
        Bay bay = stage("CREATE_COMPLETE", "https://127.0.0.1:1");
        String cluster = "/v1/clusters/" + bay.uuid;
        var patch = List.of(Map.of("op", "replace", "path", "/health_status", "value", "UNHEALTHY"),
                Map.of("op", "replace", "path", "/health_status_reason", "value", Map.of("node-3.Ready", "False")));
        Api.asDemo().header("OpenStack-API-Version", "container-infra latest").body(patch).patch(cluster).then().statusCode(403)
                .body("errors[0].detail", containsString("Only an admin"));
        Api.as(LocalCloud.ADMIN).header("OpenStack-API-Version", "container-infra latest").body(patch).patch(cluster)
                .then().statusCode(202).body("uuid", equalTo(bay.uuid));
        Api.asDemo().get(cluster).then().body("health_status", equalTo("UNHEALTHY"))
                .body("health_status_reason.'node-3.Ready'", equalTo("False"));
        Api.as(LocalCloud.ADMIN).header("OpenStack-API-Version", "container-infra latest")
                .body(List.of(Map.of("op", "replace", "path", "/health_status", "value", "GREAT"))).patch(cluster)
                .then().statusCode(400).body("errors[0].detail", containsString("HEALTHY, UNHEALTHY, UNKNOWN"));
        Api.as(LocalCloud.ADMIN).header("OpenStack-API-Version", "container-infra latest")
                .body(List.of(Map.of("op", "replace", "path", "/health_status", "value", "HEALTHY"),
                        Map.of("op", "replace", "path", "/node_count", "value", 3))).patch(cluster)
                .then().statusCode(400).body("errors[0].detail", containsString("on their own"));
        Bay building = stage("CREATE_IN_PROGRESS", null);
        Api.as(LocalCloud.ADMIN).header("OpenStack-API-Version", "container-infra latest")
                .body(List.of(Map.of("op", "replace", "path", "/health_status", "value", "HEALTHY")))
                .patch("/v1/clusters/" + building.uuid).then().statusCode(400).body("errors[0].detail", containsString("CREATE_IN_PROGRESS"));
    }

    private BayHealthCheck.Found check(Bay staged) {
        Bay bay = fresh.run(() -> Panache.withSession(() -> bays.findByUuid(staged.uuid))).await().atMost(Duration.ofSeconds(30));
        return fresh.run(() -> health.check(bay)).await().atMost(Duration.ofSeconds(30));
    }

    private void address(Bay bay, String api) {
        pool.preparedQuery("update bay set api_address = $1 where id = $2").execute(Tuple.of(api, bay.id)).await().indefinitely();
    }

    /** A bay of the demo project as its stack left it, in {@code status}. */
    private Bay stage(String status, String api) {
        String uuid = io.baystack.support.Staged.bay(pool, model, "health", status, api, Duration.ZERO);
        return fresh.run(() -> Panache.withSession(() -> bays.findByUuid(uuid))).await().atMost(Duration.ofSeconds(30));
    }
}
