package io.baystack.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.baystack.bay.Bay;
import io.baystack.bay.BayRepository;
import io.baystack.runtime.FreshContext;
import io.baystack.support.FastTier;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What a bay's nodes get from baystack to become Kubernetes: the kubeadm token and CA hash in the stack's
 * parameters, and the master's one-time fetch of the CA key (GET /bootstrap/{bay}/ca-key), which answers
 * the key once, to the bay's own token, while the bay is being created. No Heat: the bay is staged.
 */
@QuarkusTest
@FastTier
class NodeBootstrapTest {

    @Inject
    NodeBootstrap bootstrap;
    @Inject
    CertificateService certificates;
    @Inject
    BayRepository bays;
    @Inject
    FreshContext fresh;
    @Inject
    Pool pool;

    private String model;

    @BeforeEach
    void aModel() {
        model = io.baystack.support.Staged.model(pool, "bootstrap-test");
    }

    @Test
    void theMasterFetchesItsCaKeyOnceWithItsOwnTokenWhileTheBayIsCreated() {
        Bay bay = stage();
        Bay other = stage();
        BayCa ca = fresh.run(() -> certificates.ensure(bay)).await().atMost(Duration.ofSeconds(30));
        BayCa otherCa = fresh.run(() -> certificates.ensure(other)).await().atMost(Duration.ofSeconds(30));
        NodeBootstrap.Secrets secrets = bootstrap.forBay(bay, ca);
        NodeBootstrap.Secrets otherSecrets = bootstrap.forBay(other, otherCa);
        String path = "/bootstrap/" + bay.uuid + "/ca-key";

        // no token, a malformed one, another bay's: refused, and the key is still there for the right one
        RestAssured.given().get(path).then().statusCode(401).body("errors[0].detail", containsString("X-Bootstrap-Token"));
        RestAssured.given().header("X-Bootstrap-Token", "not base64 !").get(path).then().statusCode(403);
        RestAssured.given().header("X-Bootstrap-Token", otherSecrets.caKeyToken()).get(path).then().statusCode(403)
                .body("errors[0].detail", containsString("not its"));
        RestAssured.given().header("X-Bootstrap-Token", secrets.caKeyToken()).get(path).then().statusCode(200)
                .body(equalTo(ca.keyPem()));
        // once only
        RestAssured.given().header("X-Bootstrap-Token", secrets.caKeyToken()).get(path).then().statusCode(409)
                .body("errors[0].detail", containsString("fetched already"));
        assertThat(pool.preparedQuery("select key_fetched_at is not null from bay_ca where bay_id = $1").execute(Tuple.of(bay.id))
                .await().indefinitely().iterator().next().getBoolean(0)).isTrue();

        // the same bay and CA give the same values (a retried create hands out what it handed out before)
        NodeBootstrap.Secrets again = bootstrap.forBay(bay, ca);
        assertThat(again.bootstrapToken()).isEqualTo(secrets.bootstrapToken()).matches("[a-z0-9]{6}\\.[a-z0-9]{16}")
                .isNotEqualTo(otherSecrets.bootstrapToken());
        assertThat(again.caKeyToken()).isEqualTo(secrets.caKeyToken());
        assertThat(secrets.caCertHash()).matches("sha256:[0-9a-f]{64}").isNotEqualTo(otherSecrets.caCertHash());
        assertThat(secrets.toString()).doesNotContain(secrets.caKeyToken()).doesNotContain(secrets.bootstrapToken());

        // a bay no longer being created hands out nothing, even to its own token
        pool.preparedQuery("update bay set status = 'CREATE_COMPLETE' where id = $1").execute(Tuple.of(other.id))
                .await().indefinitely();
        RestAssured.given().header("X-Bootstrap-Token", otherSecrets.caKeyToken()).get("/bootstrap/" + other.uuid + "/ca-key")
                .then().statusCode(409).body("errors[0].detail", containsString("CREATE_COMPLETE"));
    }

    @Test
    void theCaHashIsKubeadmsSha256OfTheCasPublicKeyInfo() throws Exception {
        X509.Ca ca = X509.newCa("hash", UUID.randomUUID().toString(), X509Test.DEFAULTS);
        java.security.cert.X509Certificate cert = X509.certificate(ca.certPem());
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(cert.getPublicKey().getEncoded()));
        assertThat(NodeBootstrap.caCertHash(ca.certPem())).isEqualTo("sha256:" + expected);
    }

    private Bay stage() {
        String uuid = UUID.randomUUID().toString();
        String name = "boot-" + uuid.substring(0, 8);
        pool.preparedQuery("insert into bay (uuid, name, project_id, user_id, baymodel_id, node_count, master_count,"
                + " create_timeout, stack_name, status, created_at, updated_at)"
                + " values ($1, $2, 'p', 'u', $3, 1, 1, 60, $4, 'CREATE_IN_PROGRESS', now(), now())")
                .execute(Tuple.tuple(List.of(uuid, name, model, Bay.stackNameFor(name, uuid)))).await().indefinitely();
        return fresh.run(() -> Panache.withSession(() -> bays.findByUuid(uuid))).await().atMost(Duration.ofSeconds(30));
    }
}
