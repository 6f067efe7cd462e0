package io.baystack.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.baystack.support.FastTier;

/** The public version documents and the headers every answer carries, errors included. */
@FastTier
@QuarkusTest
class VersionsAndHeadersTest {

    private static final String REQUEST_ID = "req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void versionDocumentsArePublic() {
        given().get("/").then().statusCode(200)
                .header("X-OpenStack-Request-Id", matchesPattern(REQUEST_ID))
                .body("versions.id", hasItem("v1"))
                .body("versions[0].min_version", equalTo("1.1"))
                .body("versions[0].max_version", equalTo("1.12"));
        given().get("/v1").then().statusCode(200)
                .header("OpenStack-API-Minimum-Version", "container-infra 1.1")
                .header("OpenStack-API-Maximum-Version", "container-infra 1.12")
                .header("Vary", "OpenStack-API-Version");
    }

    @Test
    void theFunctionEntryPointsAreOffInOneProcess() {
        // they take no token, so they exist only where baystack.functions.enabled (cluster-local Knative services)
        given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "1")
                .header("ce-source", "/x").header("ce-type", "io.baystack.bay.handoff")
                .body("{\"bay_uuid\": \"6b3a33c4-8b5e-4a55-9d0c-7f0c2f2f0a11\"}")
                .post("/functions/heat").then().statusCode(404).body("errors[0].status", equalTo(404));
        given().contentType("application/json").body("{}").post("/functions/reconcile").then().statusCode(404);
    }

    @Test
    void everyV1AnswerCarriesTheMicroversionHeaders() {
        // the token is checked first (as keystonemiddleware does in front of Magnum): a 401 carries the
        // range and the default version
        given().header("OpenStack-API-Version", "container-infra 1.4").get("/v1/bays").then().statusCode(401)
                .header("OpenStack-API-Version", "container-infra 1.1")
                .header("OpenStack-API-Minimum-Version", "container-infra 1.1")
                .header("OpenStack-API-Maximum-Version", "container-infra 1.12")
                .header("Vary", "OpenStack-API-Version")
                .header("X-OpenStack-Request-Id", matchesPattern(REQUEST_ID));
        for (var response : new io.restassured.response.Response[] {
                Api.asDemo().header("OpenStack-API-Version", "container-infra 1.4").get("/v1/bays?limit=1"),
                Api.asDemo().header("OpenStack-API-Version", "container-infra 1.4").get("/v1/bays/no-such-bay") }) {
            response.then()
                    .header("OpenStack-API-Version", "container-infra 1.4")
                    .header("OpenStack-API-Minimum-Version", "container-infra 1.1")
                    .header("OpenStack-API-Maximum-Version", "container-infra 1.12")
                    .header("Vary", "OpenStack-API-Version")
                    .header("X-OpenStack-Request-Id", matchesPattern(REQUEST_ID));
        }
    }

    @Test
    void badMicroversionHeadersAre406WithTheRange() {
        for (String bad : new String[] { "container-infra 2.0", "container-infra 1.0", "compute 1.2",
                "container-infra one", "container-infra" }) {
            Api.asDemo().header("OpenStack-API-Version", bad).get("/v1/bays?limit=1").then().statusCode(406)
                    .body("errors[0].status", equalTo(406))
                    .body("errors[0].max_version", equalTo("1.12"))
                    .body("errors[0].min_version", equalTo("1.1"));
        }
    }

    @Test
    void requestsWithoutABodyAreServedWhateverTheirContentType() {
        String token = LocalCloud.token(LocalCloud.DEMO).id();
        for (String type : new String[] { "text/html", "application/xml", "application/octet-stream", null }) {
            for (String path : List.of("/v1/bays", "/v1/bays/detail", "/v1/clusters", "/v1/baymodels",
                    "/v1/clustertemplates/detail")) {
                var request = given().header("X-Auth-Token", token);
                if (type != null) {
                    request.header("Content-Type", type);
                }
                request.get(path).then().statusCode(200);
            }
            var request = given().header("X-Auth-Token", token);
            if (type != null) {
                request.header("Content-Type", type);
            }
            request.get("/v1/bays/no-such-bay").then().statusCode(404)
                    .body("errors[0].detail", equalTo("Bay no-such-bay could not be found."));
        }
        // a body still has to be JSON
        given().header("X-Auth-Token", token).header("Content-Type", "text/html").body("<p>x</p>").post("/v1/bays")
                .then().statusCode(415)
                .body("errors[0].status", equalTo(415))
                .body("errors[0].detail", equalTo("The request body must be application/json."));
    }
}
