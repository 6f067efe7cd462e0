package io.baystack.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.baystack.secrets.SecretBox;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A bay's CA end to end, through the API and the real local Heat: made before the stack, shown, signing
 * CSRs, rotated by a stack update, sealed in PostgreSQL, never echoed by Heat or by baystack, and
 * deleted with its bay. Chains are checked with the JDK's PKIX validator.
 */
@QuarkusTest
class CertificatesEndToEndTest {

    private static final String LATEST = "container-infra latest";

    @Inject
    Rows rows;

    @Inject
    Pool pool;

    @Inject
    SecretBox box;

    /** Every log record baystack writes during the test, formatted. */
    private final ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getParameters() != null) {
                message = message + " " + List.of(record.getParameters());
            }
            logged.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void aBaysCaSignsRotatesStaysSealedAndGoesWithTheBay() throws Exception {
        String model = Api.createBaymodel(Api.unique("ca"), "debian-12");
        String name = Api.unique("ca");
        String uuid = Api.createBay(name, model, 1);
        // too early to rotate: the bay is still being created
        Api.asDemo().header("OpenStack-API-Version", LATEST).patch("/v1/certificates/" + uuid).then().statusCode(400)
                .body("errors[0].detail", containsString("CREATE_IN_PROGRESS"));
        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_COMPLETE");

        // ca show, by uuid and by name; tenancy as for bays
        JsonPath shown = Api.asDemo().get("/v1/certificates/" + uuid).then().statusCode(200)
                .body("cluster_uuid", equalTo(uuid)).body("links[0].rel", equalTo("self"))
                .body("links[0].href", containsString("/v1/certificates/" + uuid)).extract().jsonPath();
        String caPem = shown.getString("pem");
        X509Certificate ca = X509.certificate(caPem);
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        Api.asDemo().get("/v1/certificates/" + name).then().statusCode(200).body("pem", equalTo(caPem));
        Api.as(LocalCloud.ALT).get("/v1/certificates/" + uuid).then().statusCode(404)
                .body("errors[0].detail", containsString("could not be found"));
        Api.as(LocalCloud.ADMIN).get("/v1/certificates/" + uuid).then().statusCode(200).body("pem", equalTo(caPem));
        Api.asDemo().get("/v1/certificates/" + uuid + "?ca_cert_type=etcd").then().statusCode(400);

        // ca sign: the client certificate chains to the bay's CA
        String csr = X509Test.csr(X509Test.rsa(2048), "CN=admin,O=system:masters", false);
        X509Certificate client = X509.certificate(Api.asDemo().body(Map.of("cluster_uuid", uuid, "csr", csr))
                .post("/v1/certificates").then().statusCode(201).body("cluster_uuid", equalTo(uuid))
                .body("csr", equalTo(csr)).extract().path("pem"));
        X509Test.validate(client, ca);
        // bad CSRs: 400 in Magnum's body, no certificate
        Api.asDemo().body(Map.of("cluster_uuid", uuid, "csr", "garbage")).post("/v1/certificates").then().statusCode(400)
                .body("errors[0].detail", containsString("not a PEM certificate signing request")).body("pem", equalTo(null));
        Api.asDemo().body(Map.of("cluster_uuid", uuid, "csr", X509Test.csr(X509Test.rsa(1024), "CN=admin", false)))
                .post("/v1/certificates").then().statusCode(400).body("errors[0].detail", containsString("1024 bits"));
        Api.asDemo().body(Map.of("cluster_uuid", uuid, "csr", X509Test.csr(X509Test.rsa(2048), "CN=x", true)))
                .post("/v1/certificates").then().statusCode(400).body("errors[0].detail", containsString("CA certificate"));
        Api.as(LocalCloud.ALT).body(Map.of("cluster_uuid", uuid, "csr", csr)).post("/v1/certificates").then().statusCode(404);
        Api.asDemo().body(Map.of("cluster_uuid", uuid, "csr", csr, "extra", 1)).post("/v1/certificates").then().statusCode(400);

        // stored sealed: the row holds no key in clear, yet the sealed value is the CA's key
        long bayId = (Long) rows.byUuid("bay", uuid).get("id");
        Row row = pool.preparedQuery("select cert_pem, key_sealed, generation from bay_ca where bay_id = $1")
                .execute(Tuple.of(bayId)).await().indefinitely().iterator().next();
        String sealed = row.getString("key_sealed");
        assertThat(row.getString("cert_pem")).isEqualTo(caPem);
        assertThat(sealed).startsWith("gcm1:").doesNotContain("PRIVATE KEY");
        String keyPem = box.open(sealed, "bay-ca:" + uuid);
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(der(keyPem)));
        assertThat(key.getModulus()).isEqualTo(((RSAPublicKey) ca.getPublicKey()).getModulus());
        String keyBase64 = Base64.getEncoder().encodeToString(der(keyPem));
        assertThat(sealed).doesNotContain(keyBase64.substring(100, 160));
        String fragment = keyPem.lines().skip(5).findFirst().orElseThrow();

        // Heat has the CA's certificate as a parameter, never its key (the master fetches that from baystack)
        LocalCloud.Token token = LocalCloud.token(LocalCloud.DEMO);
        String stackId = bay.getString("stack_id");
        String stackName = (String) rows.byUuid("bay", uuid).get("stack_name");
        var stack = LocalCloud.stackDetail(token, stackName, stackId);
        assertThat(stack.path("parameters").has("ca_key")).as("a ca_key parameter").isFalse();
        assertThat(stack.path("parameters").path("ca_cert").asText()).isEqualTo(caPem);
        assertThat(LocalCloud.heatText(token, "/stacks/" + stackName + "/" + stackId)).doesNotContain(fragment);
        assertThat(LocalCloud.heatText(token, "/stacks/" + stackName + "/" + stackId + "/events?nested_depth=3"))
                .doesNotContain(fragment);

        // ca rotate: 404 before 1.5, then a new CA through a stack update; the old client certificate no longer chains
        Api.asDemo().header("OpenStack-API-Version", "container-infra 1.4").patch("/v1/certificates/" + uuid).then()
                .statusCode(404);
        Api.asDemo().header("OpenStack-API-Version", LATEST).patch("/v1/certificates/" + name).then().statusCode(202)
                .body("$", aMapWithSize(1)).body("uuid", equalTo(uuid));
        JsonPath rotated = Api.awaitFinal(uuid);
        assertThat(rotated.getString("status")).as(rotated.prettify()).isEqualTo("UPDATE_COMPLETE");
        String newPem = Api.asDemo().get("/v1/certificates/" + uuid).then().statusCode(200).extract().path("pem");
        assertThat(newPem).isNotEqualTo(caPem);
        X509Certificate newCa = X509.certificate(newPem);
        assertThatThrownBy(() -> X509Test.validate(client, newCa)).isInstanceOf(CertPathValidatorException.class);
        X509Test.validate(X509.certificate(Api.asDemo().body(Map.of("cluster_uuid", uuid, "csr", csr))
                .post("/v1/certificates").then().statusCode(201).extract().path("pem")), newCa);
        assertThat(LocalCloud.stackDetail(token, stackName, stackId).path("parameters").path("ca_cert").asText())
                .as("the stack was updated with the new CA").isEqualTo(newPem);
        String newFragment = box.open(pool.preparedQuery("select key_sealed from bay_ca where bay_id = $1")
                .execute(Tuple.of(bayId)).await().indefinitely().iterator().next().getString(0), "bay-ca:" + uuid)
                .lines().skip(5).findFirst().orElseThrow();

        // nor does baystack: not in the bay, its events, or its logs; nor Heat's log
        for (String path : List.of("/v1/bays/" + uuid, "/v1/bays/" + uuid + "/events", "/v1/clusters/" + uuid)) {
            assertThat(Api.asDemo().header("OpenStack-API-Version", LATEST).get(path).then().statusCode(200).extract()
                    .asString()).as(path).doesNotContain(fragment).doesNotContain(newFragment);
        }
        assertThat(logged).as("baystack logged while the bay was built and rotated").isNotEmpty()
                .noneMatch(line -> line.contains(fragment) || line.contains(newFragment));
        Path heatLog = Path.of(".local/log/heat.log");
        if (Files.exists(heatLog)) {
            assertThat(Files.readString(heatLog)).doesNotContain(fragment).doesNotContain(newFragment);
        }

        // deleting the bay deletes its CA
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(4))
                .until(() -> rows.byUuid("bay", uuid) == null);
        assertThat(pool.preparedQuery("select count(*) from bay_ca where bay_id = $1").execute(Tuple.of(bayId)).await()
                .indefinitely().iterator().next().getLong(0)).isZero();
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }
}
