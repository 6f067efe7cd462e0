package io.baystack.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.support.AppProcess;

/**
 * The README's rotation of baystack.secrets.key, on the packaged application: a bay's CA key sealed
 * under key A; restarted with B as the key and A as a previous one, baystack re-seals it under B at
 * start and its CA still signs; restarted with B alone, it still does. Restarted with neither, the
 * CA cannot be read (a lost key): signing fails, and a rotation gives the bay a new CA that works.
 */
class SecretsKeyRotationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";
    private static final String B = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";
    private static final String C = "Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=";

    private final AppProcess app = new AppProcess("secrets-rotation", "baystack_secrets");

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void aRotatedSecretsKeyReSealsEveryCaKeyAndALostOneIsRecoveredByACaRotation() throws Exception {
        String kidA = new SecretBox(A, List.of()).currentKeyId();
        String kidB = new SecretBox(B, List.of()).currentKeyId();

        app.start("key-a", Map.of("baystack.secrets.key", A));
        String uuid = createBay();
        awaitStatus(uuid, "CREATE_COMPLETE");
        assertThat(sealedWith(uuid)).isEqualTo(kidA);
        String ca = caOf(uuid);
        app.close();

        app.start("key-b-after-a", Map.of("baystack.secrets.key", B, "baystack.secrets.previous-keys", A));
        app.awaitLog("re-sealed 1 CA keys", Duration.ofSeconds(60));
        assertThat(sealedWith(uuid)).isEqualTo(kidB);
        assertThat(sign(uuid).statusCode()).isEqualTo(201);
        app.close();

        app.start("key-b", Map.of("baystack.secrets.key", B));
        assertThat(caOf(uuid)).isEqualTo(ca);
        assertThat(sign(uuid).statusCode()).isEqualTo(201);
        app.close();

        // B lost: nothing opens the CA key; a rotation makes the bay a new CA under C
        app.start("key-c-lost-b", Map.of("baystack.secrets.key", C));
        HttpResponse<String> refused = sign(uuid);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(500);
        assertThat(refused.body()).doesNotContain("PRIVATE KEY");
        HttpResponse<String> rotated = app.send(app.api("/v1/certificates/" + uuid)
                .setHeader("OpenStack-API-Version", "container-infra latest")
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(202);
        awaitStatus(uuid, "UPDATE_COMPLETE");
        assertThat(caOf(uuid)).isNotEqualTo(ca);
        assertThat(sign(uuid).statusCode()).isEqualTo(201);
        assertThat(sealedWith(uuid)).isEqualTo(new SecretBox(C, List.of()).currentKeyId());
    }

    private String sealedWith(String uuid) throws Exception {
        String sealed = (String) app.queryOne(
                "select c.key_sealed from bay_ca c join bay b on b.id = c.bay_id where b.uuid = ?", uuid);
        assertThat(sealed).doesNotContain("PRIVATE KEY");
        return sealed.split(":")[1];
    }

    private String caOf(String uuid) throws Exception {
        HttpResponse<String> r = app.send(app.api("/v1/certificates/" + uuid).GET());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("pem").asText();
    }

    private HttpResponse<String> sign(String uuid) throws Exception {
        String csr = io.baystack.certificate.Csrs.pem("CN=admin,O=system:masters");
        return app.send(app.api("/v1/certificates").POST(HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(Map.of("cluster_uuid", uuid, "csr", csr)))));
    }

    private String createBay() throws Exception {
        HttpResponse<String> m = app.send(app.api("/v1/baymodels").POST(HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(Map.of("name", "sk-model-" + System.nanoTime(), "coe", "kubernetes",
                        "image_id", "debian-12", "flavor_id", "m1.small", "keypair_id", "testkey",
                        "external_network_id", "public")))));
        assertThat(m.statusCode()).as(m.body()).isEqualTo(201);
        HttpResponse<String> r = app.send(app.api("/v1/bays").POST(HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(Map.of("name", "sk-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36),
                        "baymodel_id", JSON.readTree(m.body()).path("uuid").asText(), "node_count", 1)))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("uuid").asText();
    }

    private void awaitStatus(String uuid, String wanted) {
        org.awaitility.Awaitility.await("bay " + uuid + " " + wanted).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonNode bay = JSON.readTree(app.send(app.api("/v1/bays/" + uuid).GET()).body());
                    assertThat(bay.path("status").asText()).as("bay %s", bay).isEqualTo(wanted);
                });
    }
}
