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

import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class BayModelsResourceTest {

    /** The newest models first: the test database keeps every run's. */
    private static final String NEWEST = "/v1/baymodels?sort_key=created_at&sort_dir=desc&limit=50";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Rows rows;

    @Test
    void createAnswers201WithTheObjectAndItsLocation() {
        String name = Api.unique("bm");
        String uuid = Api.asDemo().body(Api.baymodel(name, "debian-12")).post("/v1/baymodels")
                .then().statusCode(201)
                .header("Location", matchesPattern("http://[^/]+/v1/baymodels/[0-9a-f-]{36}"))
                .body("name", equalTo(name))
                .body("uuid", matchesPattern("[0-9a-f-]{36}"))
                .body("coe", equalTo("kubernetes"))
                .body("image_id", equalTo("debian-12"))
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
        String uuid = Api.createBaymodel(Api.unique("bm-del"), "debian-12");
        Api.asDemo().delete("/v1/baymodels/" + uuid).then().statusCode(204);
        Api.asDemo().get("/v1/baymodels/" + uuid).then().statusCode(404)
                .body("errors[0].status", equalTo(404));
        Api.asDemo().get(NEWEST).then().body("baymodels.uuid", not(hasItem(uuid)));
    }

    @Test
    void anotherProjectsPrivateBaymodelIsNotFound() {
        String uuid = Api.createBaymodel(Api.unique("bm-private"), "debian-12");
        Api.as(LocalCloud.ALT).get("/v1/baymodels/" + uuid).then().statusCode(404);
        Api.as(LocalCloud.ALT).get(NEWEST).then().body("baymodels.uuid", not(hasItem(uuid)));
    }

    @Test
    void missingRequiredFieldIs400InMagnumsErrorFormat() {
        Map<String, Object> body = new HashMap<>(Api.baymodel(Api.unique("bm-bad"), "debian-12"));
        body.remove("image_id");
        Api.asDemo().body(body).post("/v1/baymodels").then().statusCode(400)
                .body("errors[0].status", equalTo(400))
                .body("errors[0].code", equalTo("client"))
                .body("errors[0].detail", equalTo("Invalid input for field/attribute image_id. Mandatory field missing."))
                .body("errors[0].request_id", matchesPattern("req-[0-9a-f-]{36}"));
        assertThat(rows.countNamed("baymodel", (String) body.get("name"))).as("nothing stored").isZero();
    }

    @Test
    void upperCaseOrUndashedUuidsFindTheModel() {
        String uuid = Api.createBaymodel(Api.unique("bm-case"), "debian-12");
        String upper = uuid.toUpperCase();
        String undashed = uuid.replace("-", "");
        for (String collection : new String[] { "baymodels", "clustertemplates" }) {
            Api.asDemo().get("/v1/" + collection + "/" + upper).then().statusCode(200).body("uuid", equalTo(uuid));
            Api.asDemo().get("/v1/" + collection + "/" + undashed).then().statusCode(200).body("uuid", equalTo(uuid));
        }
        // as a list marker too: the page after it does not hold it
        Api.asDemo().get("/v1/baymodels?marker=" + upper).then().statusCode(200).body("baymodels.uuid", not(hasItem(uuid)));
        Api.asDemo().body("[{\"op\": \"replace\", \"path\": \"/image_id\", \"value\": \"other-image\"}]")
                .patch("/v1/clustertemplates/" + undashed.toUpperCase()).then().statusCode(200)
                .body("image_id", equalTo("other-image"));
        Api.asDemo().delete("/v1/baymodels/" + upper).then().statusCode(204);
        assertThat(rows.byUuid("baymodel", uuid)).isNull();
    }

    /** Magnum's string fields take strings only: a number, boolean, array or object is a 400 naming the field. */
    @Test
    void aNonStringWhereAStringIsExpectedIs400NamingTheField() throws Exception {
        for (String field : new String[] { "name", "image_id", "flavor_id", "keypair_id", "external_network_id",
                "fixed_network", "fixed_subnet", "dns_nameserver", "http_proxy", "tags", "coe" }) {
            for (String value : new String[] { "1e308", "-1e308", "7", "true", "[\"x\"]", "{\"a\":\"b\"}" }) {
                for (String collection : new String[] { "baymodels", "clustertemplates" }) {
                    // the request's own marker, in name and tags (whichever is not the field under test)
                    String marker = Api.unique("bm-type");
                    Map<String, Object> base = new HashMap<>(Api.baymodel(marker, "debian-12"));
                    base.put("tags", marker);
                    base.remove(field);
                    String json = JSON.writeValueAsString(base);
                    String body = json.substring(0, json.length() - 1) + ", \"" + field + "\": " + value + "}";
                    Api.asDemo().body(body).post("/v1/" + collection).then()
                            .statusCode(400)
                            .body("errors[0].status", equalTo(400))
                            .body("errors[0].detail", equalTo("Invalid input for field/attribute " + field
                                    + ". Value: '" + value + "'. Wrong type. Expected 'string'."));
                    assertThat(rows.execute("select 1 from baymodel where name = $1 or tags = $1", marker))
                            .as(field + "=" + value + " stored nothing").isZero();
                }
            }
        }
        // null stays allowed for an optional string
        Map<String, Object> withNull = new HashMap<>(Api.baymodel(Api.unique("bm-null"), "debian-12"));
        withNull.put("http_proxy", null);
        Api.asDemo().body(withNull).post("/v1/baymodels").then().statusCode(201).body("http_proxy", nullValue());
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
