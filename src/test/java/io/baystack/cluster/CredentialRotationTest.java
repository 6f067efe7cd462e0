package io.baystack.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.baystack.bay.TrustMark;
import io.baystack.keystone.Caller;
import io.baystack.keystone.TokenValidator;
import io.baystack.keystone.Trusts;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code PATCH /v1/credentials/{cluster}} (1.12) on the real Keystone and Heat: a new trust baystack acts
 * with; by the same user, the old one kept for the stack until the bay goes; by another user of the
 * project, the stack updated through the new one and the old one deleted; the bay still worked on.
 */
@QuarkusTest
class CredentialRotationTest {

    private static final String V112 = "container-infra 1.12";

    @Inject
    Rows rows;
    @Inject
    Trusts trusts;
    @Inject
    TokenValidator tokens;

    @Test
    void theTrustIsReplacedWithTheCallersAndTheBayIsStillScaledAndDeletedThroughIt() {
        String uuid = completeBay("cred");
        String before = (String) rows.byUuid("bay", uuid).get("trust_id");
        assertThat(LocalCloud.trustExists(before)).isTrue();

        // a route of 1.12: not there below it
        Api.asDemo().header("OpenStack-API-Version", "container-infra 1.11").patch("/v1/credentials/" + uuid)
                .then().statusCode(404).body("errors[0].status", equalTo(404));
        // a rotation by the caller cut short before this one (it died between Keystone's answer and the row):
        // its trust, which no row names, carries the mark of the bay's first rotation
        Caller demo = tokens.validate(LocalCloud.token(LocalCloud.DEMO).id()).await().atMost(Duration.ofSeconds(30));
        Instant mark = TrustMark.rotated(uuid, 1);
        assertThat(mark).isNotEqualTo(TrustMark.created(uuid)).isNotEqualTo(TrustMark.rotated(uuid, 2));
        String cutShort = trusts.create(demo, mark).await().atMost(Duration.ofSeconds(30));
        Api.asDemo().header("OpenStack-API-Version", V112).patch("/v1/credentials/" + uuid)
                .then().statusCode(202).body("$", aMapWithSize(1)).body("uuid", equalTo(uuid));
        String after = (String) rows.byUuid("bay", uuid).get("trust_id");
        assertThat(after).isNotNull().isNotEqualTo(before);
        assertThat(after).as("the rotation took the one a rotation cut short left").isEqualTo(cutShort);
        assertThat(LocalCloud.trustExists(after)).isTrue();
        // the old one is kept for the stack (Heat's own trust was made from it) and goes with the bay
        assertThat(LocalCloud.trustExists(before)).isTrue();
        assertThat(rows.byUuid("bay", uuid).get("retired_trust_ids")).isEqualTo(before);
        // made by the caller (here the bay's creator), for baystack's service user
        assertThat(LocalCloud.keystoneGet("/OS-TRUST/trusts/" + after).path("trust").path("trustor_user_id").asText())
                .isEqualTo(rows.byUuid("bay", uuid).get("user_id"));

        // a second rotation makes its own (Keystone would refuse a second trust with the first one's mark)
        Api.asDemo().header("OpenStack-API-Version", V112).patch("/v1/credentials/" + uuid).then().statusCode(202);
        String second = (String) rows.byUuid("bay", uuid).get("trust_id");
        assertThat(second).isNotIn(before, after);
        assertThat(LocalCloud.keystoneGet("/OS-TRUST/trusts/" + second).path("trust").path("expires_at").asText())
                .startsWith(TrustMark.rotated(uuid, 2).toString().replace("Z", ""));
        assertThat(rows.byUuid("bay", uuid).get("retired_trust_ids")).isEqualTo(before + "," + after);

        // two rotations side by side (a client's retry while the first is on its way): each answers 202 or 409, and
        // every trust the row names is still in Keystone (the one that lost never deletes what the row recorded)
        java.util.concurrent.CompletableFuture<Integer> one = java.util.concurrent.CompletableFuture.supplyAsync(() -> Api.asDemo()
                .header("OpenStack-API-Version", V112).patch("/v1/credentials/" + uuid).then().extract().statusCode());
        int other = Api.asDemo().header("OpenStack-API-Version", V112).patch("/v1/credentials/" + uuid).then().extract().statusCode();
        assertThat(List.of(one.join(), other)).allMatch(code -> code == 202 || code == 409).contains(202);
        List<String> named = new java.util.ArrayList<>(List.of(((String) rows.byUuid("bay", uuid).get("retired_trust_ids")).split(",")));
        named.add((String) rows.byUuid("bay", uuid).get("trust_id"));
        assertThat(named).as("the row names the trusts of the creation and of every rotation that won").contains(before, after, second)
                .allMatch(LocalCloud::trustExists);

        // Heat works on the bay with the new trust: a scale, then the delete
        scaledThenDeleted(uuid, named);
    }

    /** A bay of one minion that demo made, CREATE_COMPLETE. */
    private static String completeBay(String name) {
        String uuid = Api.createBay(Api.unique(name), Api.createBaymodel(Api.unique("cred"), "debian-12"), 1);
        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_COMPLETE");
        return uuid;
    }

    /** Heat still works on the bay: a scale to 2 through the bay's trust, then the delete, and {@code trusts} gone with it. */
    private static void scaledThenDeleted(String uuid, List<String> trusts) {
        Api.asDemo().header("OpenStack-API-Version", V112).body(Map.of("node_count", 2))
                .post("/v1/clusters/" + uuid + "/actions/resize").then().statusCode(202);
        JsonPath scaled = Api.awaitFinal(uuid);
        assertThat(scaled.getString("status")).as(scaled.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(scaled.getInt("node_count")).isEqualTo(2);
        Api.asDemo().delete("/v1/clusters/" + uuid).then().statusCode(204);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2)).pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> Api.demoGetStatus("/v1/clusters/" + uuid) == 404);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> trusts.stream().noneMatch(LocalCloud::trustExists));
    }

    @Test
    void aRotationByAnotherUserUpdatesTheStackThroughTheNewTrustAndTheOldOneGoes() {
        String uuid = completeBay("cred-peer");
        String before = (String) rows.byUuid("bay", uuid).get("trust_id");

        // demo's colleague in the project rotates: the bay is updated through the new trust
        Api.as(LocalCloud.PEER).header("OpenStack-API-Version", V112).patch("/v1/credentials/" + uuid)
                .then().statusCode(202).body("uuid", equalTo(uuid));
        String after = (String) rows.byUuid("bay", uuid).get("trust_id");
        assertThat(after).isNotNull().isNotEqualTo(before);
        String peer = LocalCloud.keystoneGet("/OS-TRUST/trusts/" + after).path("trust").path("trustor_user_id").asText();
        assertThat(peer).isNotEqualTo(rows.byUuid("bay", uuid).get("user_id"));
        JsonPath updated = Api.awaitFinal(uuid);
        assertThat(updated.getString("status")).as(updated.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(updated.getInt("node_count")).isEqualTo(1);
        // Heat holds a trust of the colleague's now: demo's, which Heat's old one hung off, is deleted
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> !LocalCloud.trustExists(before));
        assertThat(LocalCloud.trustExists(after)).isTrue();

        // and Heat still works on the stack: a scale, then the delete, every trust gone with the bay
        scaledThenDeleted(uuid, List.of(after));
    }

    @Test
    void errorsAreMagnums() {
        String model = Api.createBaymodel(Api.unique("cred"), "debian-12");
        String uuid = Api.createBay(Api.unique("cred"), model, 1);
        // just accepted: the stack is being built with the trust, which is not swapped under it
        Api.asDemo().header("OpenStack-API-Version", V112).patch("/v1/credentials/" + uuid).then().statusCode(400)
                .body("errors[0].detail", equalTo("Rotating the credentials of a cluster when status is \"CREATE_IN_PROGRESS\" is not supported"));
        // another project's cluster is not there for it; nor an unknown one; nor without a token
        Api.as(LocalCloud.ALT).header("OpenStack-API-Version", V112).patch("/v1/credentials/" + uuid).then().statusCode(404)
                .body("errors[0].detail", equalTo("Cluster " + uuid + " could not be found."));
        Api.asDemo().header("OpenStack-API-Version", V112).patch("/v1/credentials/no-such-cluster").then().statusCode(404);
        given().header("OpenStack-API-Version", V112).patch("/v1/credentials/" + uuid).then().statusCode(401);
        Api.awaitFinal(uuid);
    }
}
