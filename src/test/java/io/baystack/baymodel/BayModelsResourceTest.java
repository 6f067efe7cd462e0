package io.baystack.baymodel;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class BayModelsResourceTest {

    /** The newest models first: the test database keeps every run's. */
    private static final String NEWEST = "/v1/baymodels?sort_key=created_at&sort_dir=desc&limit=50";

    @Inject
    Rows rows;

    @Test
    void createAnswers201WithTheObjectAndItsLocation() {
        String name = Api.unique("bm");
        String uuid = Api.asDemo().body(Api.baymodel(name, "fedora-atomic")).post("/v1/baymodels")
                .then().statusCode(201)
                .header("Location", matchesPattern("http://[^/]+/v1/baymodels/[0-9a-f-]{36}"))
                .body("name", equalTo(name))
                .body("uuid", matchesPattern("[0-9a-f-]{36}"))
                .body("coe", equalTo("kubernetes"))
                .body("image_id", equalTo("fedora-atomic"))
                .body("master_flavor_id", equalTo("m1.medium"))
                .body("docker_volume_size", equalTo(3))
                // Magnum stores the owner of a baymodel but does not show it
                .body("project_id", nullValue())
                .body("created_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00"))
                .extract().path("uuid");

        Map<String, Object> row = rows.byUuid("baymodel", uuid);
        assertThat(row.get("project_id")).isEqualTo(LocalCloud.token(LocalCloud.DEMO).projectId());
        assertThat(row.get("user_id")).asString().matches("[0-9a-f]{32}");

        Api.asDemo().get("/v1/baymodels/" + uuid).then().statusCode(200).body("name", equalTo(name));
        Api.asDemo().get("/v1/baymodels/" + name).then().statusCode(200).body("uuid", equalTo(uuid));
        Api.asDemo().get(NEWEST).then().statusCode(200).body("baymodels.uuid", hasItem(uuid));
    }

    @Test
    void deleteRemovesIt() {
        String uuid = Api.createBaymodel(Api.unique("bm-del"), "fedora-atomic");
        Api.asDemo().delete("/v1/baymodels/" + uuid).then().statusCode(204);
        Api.asDemo().get("/v1/baymodels/" + uuid).then().statusCode(404)
                .body("errors[0].status", equalTo(404));
        Api.asDemo().get(NEWEST).then().body("baymodels.uuid", not(hasItem(uuid)));
    }

    @Test
    void anotherProjectsPrivateBaymodelIsNotFound() {
        String uuid = Api.createBaymodel(Api.unique("bm-private"), "fedora-atomic");
        Api.as(LocalCloud.ALT).get("/v1/baymodels/" + uuid).then().statusCode(404);
        Api.as(LocalCloud.ALT).get(NEWEST).then().body("baymodels.uuid", not(hasItem(uuid)));
    }

    @Test
    void missingRequiredFieldIs400InMagnumsErrorFormat() {
        Map<String, Object> body = new HashMap<>(Api.baymodel(Api.unique("bm-bad"), "fedora-atomic"));
        body.remove("image_id");
        Api.asDemo().body(body).post("/v1/baymodels").then().statusCode(400)
                .body("errors[0].status", equalTo(400))
                .body("errors[0].code", equalTo("client"))
                .body("errors[0].detail", notNullValue())
                .body("errors[0].request_id", matchesPattern("req-[0-9a-f-]{36}"));
    }

    @Test
    void noTokenIs401() {
        given().get("/v1/baymodels").then().statusCode(401)
                .body("errors[0].status", equalTo(401))
                .header("X-OpenStack-Request-Id", notNullValue())
                .header("WWW-Authenticate", notNullValue());
        given().header("X-Auth-Token", "not-a-token").get("/v1/baymodels").then().statusCode(401)
                .body("errors[0].code", equalTo("client"))
                .body("errors[0].links", notNullValue())
                .body("errors[0].max_version", nullValue());
    }
}
