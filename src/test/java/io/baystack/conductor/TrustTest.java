package io.baystack.conductor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The work goes on when the user's token is gone: the bay's Keystone trust, made by the Heat function
 * from the token the request sealed into the row, carries it. (A token gone before the trust exists
 * fails the bay: SinkHandOffTest.)
 */
@QuarkusTest
class TrustTest {

    @Inject
    Rows rows;

    @Test
    void aTokenRevokedOnceTheTrustExistsDoesNotStopTheBayAndTheTokenIsNoLongerStored() {
        String model = Api.createBaymodel(Api.unique("trust"), "debian-12");
        LocalCloud.Token token = LocalCloud.freshToken(LocalCloud.DEMO);
        String uuid = given().header("X-Auth-Token", token.id()).contentType(ContentType.JSON)
                .header("OpenStack-API-Version", "container-infra latest")
                .body(Map.of("name", Api.unique("trust"), "baymodel_id", model, "node_count", 1))
                .post("/v1/bays").then().statusCode(202).extract().path("uuid");
        // the Heat function makes the trust (no request waits on Keystone's write) and drops the token
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> rows.byUuid("bay", uuid).get("trust_id") != null);
        Map<String, Object> row = rows.byUuid("bay", uuid);
        assertThat(row.get("trustor_token")).as("the token goes once the trust exists").isNull();
        assertThat(row.get("trustor_roles")).isNull();
        assertThat(row.values()).as("the token in no column").noneMatch(v -> v != null && v.toString().contains(token.id()));
        LocalCloud.revoke(token);

        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_COMPLETE");
        String trustId = (String) rows.byUuid("bay", uuid).get("trust_id");
        assertThat(LocalCloud.trustExists(trustId)).isTrue();

        // deleting the bay (with another token) removes its trust as well
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                .until(() -> rows.byUuid("bay", uuid) == null);
        // the trust goes just after the row
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !LocalCloud.trustExists(trustId));
    }
}
