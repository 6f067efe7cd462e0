package io.baystack.conductor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.baystack.bay.Bay;
import io.baystack.bay.BayRepository;
import io.baystack.certificate.BayCa;
import io.baystack.certificate.CertificateService;
import io.baystack.certificate.NodeBootstrap;
import io.baystack.heat.BayTemplate;
import io.baystack.runtime.FreshContext;
import io.baystack.support.FastTier;
import io.baystack.support.KubeApiStandIn;
import io.baystack.support.Staged;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The join token of the nodes an update adds: the create's while it still has 2 of its 24 hours, else a
 * fresh one registered in the bay's Kubernetes first (a kube-system bootstrap-token Secret), against a TLS
 * stand-in of the bay's API (test code: no Kubernetes can run here). No Heat: the bays are staged.
 */
@QuarkusTest
@FastTier
class JoinTokenTest {

    @Inject
    ClusterTokens tokens;
    @Inject
    NodeBootstrap nodes;
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
        model = Staged.model(pool, "join-token-test");
    }

    @Test
    void aYoungBaysUpdateKeepsTheCreatesTokenAndAsksTheClusterNothing() throws Exception {
        Bay bay = stage(Duration.ofHours(21), "https://127.0.0.1:1");
        BayCa ca = fresh.run(() -> certificates.ensure(bay)).await().atMost(Duration.ofSeconds(30));
        try (KubeApiStandIn api = KubeApiStandIn.start(vertx, ca.certPem(), ca.keyPem())) {
            address(bay, api.address());
            assertThat(forUpdate(bay, ca, Instant.now())).isNull();
            assertThat(api.secretPosts()).isZero();
        }
    }

    @Test
    void anOldBaysUpdateRegistersAFreshTokenInItsClusterThenSendsIt() throws Exception {
        Bay bay = stage(Duration.ofHours(23), "https://127.0.0.1:1");
        BayCa ca = fresh.run(() -> certificates.ensure(bay)).await().atMost(Duration.ofSeconds(30));
        Instant now = Instant.now();
        try (KubeApiStandIn api = KubeApiStandIn.start(vertx, ca.certPem(), ca.keyPem())) {
            address(bay, api.address());
            String sent = forUpdate(bay, ca, now);
            assertThat(sent).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
            String id = sent.substring(0, 6);
            Map<String, Object> secret = api.secrets().get("bootstrap-token-" + id);
            assertThat(secret).as("the Secret the cluster took").isNotNull();
            assertThat(secret).containsEntry("type", "bootstrap.kubernetes.io/token");
            @SuppressWarnings("unchecked")
            Map<String, String> data = (Map<String, String>) secret.get("stringData");
            assertThat(data).containsEntry("token-id", id).containsEntry("token-secret", sent.substring(7))
                    .containsEntry("usage-bootstrap-authentication", "true").containsEntry("usage-bootstrap-signing", "true")
                    .containsEntry("auth-extra-groups", "system:bootstrappers:kubeadm:default-node-token");
            // it expires in 24 h: no token that never expires is left in the open
            assertThat(Instant.parse(data.get("expiration"))).isBetween(now.plus(Duration.ofHours(23)), now.plus(Duration.ofHours(25)));
            // it is not the create's
            assertThat(sent).isNotEqualTo(nodes.forBay(bay, ca).bootstrapToken());

            // a retried update within the hour: the same token, which the cluster has already (409)
            assertThat(forUpdate(bay, ca, now)).isEqualTo(sent);
            assertThat(api.secretPosts()).isEqualTo(2);
            assertThat(api.secrets()).hasSize(1);
            // the stack update carries it as the new nodes' bootstrap_token
            BayTemplate.Update update = new BayTemplate.Update(null, new java.util.LinkedHashMap<>(Map.of("number_of_minions", 3)));
            assertThat(StackUpdates.withJoinToken(update, sent).parameters()).containsEntry("bootstrap_token", sent);
            assertThat(StackUpdates.withJoinToken(new BayTemplate.Update(null, new java.util.LinkedHashMap<>()), null)
                    .parameters()).doesNotContainKey("bootstrap_token");
        }
    }

    @Test
    void aClusterThatDoesNotTakeTheTokenGetsNoneSent() throws Exception {
        Bay bay = stage(Duration.ofDays(3), "https://127.0.0.1:1");
        BayCa ca = fresh.run(() -> certificates.ensure(bay)).await().atMost(Duration.ofSeconds(30));
        // nothing listens there
        assertThat(forUpdate(bay, ca, Instant.now())).isNull();
        // an API served by another CA is not trusted with it
        Bay other = stage(Duration.ZERO, "https://127.0.0.1:1");
        BayCa otherCa = fresh.run(() -> certificates.ensure(other)).await().atMost(Duration.ofSeconds(30));
        try (KubeApiStandIn impostor = KubeApiStandIn.start(vertx, otherCa.certPem(), otherCa.keyPem())) {
            address(bay, impostor.address());
            assertThat(forUpdate(bay, ca, Instant.now())).isNull();
            assertThat(impostor.secrets()).isEmpty();
        }
    }

    private String forUpdate(Bay staged, BayCa ca, Instant now) {
        Bay bay = fresh.run(() -> Panache.withSession(() -> bays.findByUuid(staged.uuid))).await().atMost(Duration.ofSeconds(30));
        return fresh.run(() -> tokens.forUpdate(bay, ca, now)).await().atMost(Duration.ofSeconds(30));
    }

    private void address(Bay bay, String api) {
        pool.preparedQuery("update bay set api_address = $1 where id = $2").execute(io.vertx.mutiny.sqlclient.Tuple.of(api, bay.id))
                .await().indefinitely();
    }

    private Bay stage(Duration age, String api) {
        String uuid = Staged.bay(pool, model, "join", "UPDATE_COMPLETE", api, age);
        return fresh.run(() -> Panache.withSession(() -> bays.findByUuid(uuid))).await().atMost(Duration.ofSeconds(30));
    }
}
