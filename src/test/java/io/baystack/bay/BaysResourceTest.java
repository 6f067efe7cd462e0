package io.baystack.bay;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The bays resource as a client sees it; what happens in Heat afterwards is BayCreateEndToEndTest's. */
@QuarkusTest
class BaysResourceTest {

    private static final String LATEST = "container-infra latest";
    private static String baymodelUuid;
    private static String baymodelName;

    @Inject
    Rows rows;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @BeforeEach
    void baymodel() {
        // once per class, but after Quarkus (and RestAssured's port) is up
        if (baymodelUuid == null) {
            baymodelName = Api.unique("bays-rt");
            baymodelUuid = Api.createBaymodel(baymodelName, "debian-12");
        }
    }

    /** The seed's body, character for character, with a new name. */
    private static String seedBody(String name, String baymodel) {
        return "{\"name\": \"" + name + "\", \"node_count\": \"1\", \"discovery_url\": null, \"baymodel_id\": \""
                + baymodel + "\", \"bay_create_timeout\": null}";
    }

    @Test
    void theSeedsRequestVerbatimIsAccepted() {
        String name = Api.unique("seed");
        String uuid = given().header("X-Auth-Token", LocalCloud.token(LocalCloud.DEMO).id())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("OpenStack-API-Version", LATEST)
                .body(seedBody(name, baymodelUuid))
                .post("/v1/bays")
                .then().statusCode(202)
                .header("OpenStack-API-Version", "container-infra 1.12")
                .body("$", aMapWithSize(1))
                .body("uuid", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
                .extract().path("uuid");

        // stored as the seed's row describes it, owned by the token's project and user
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200)
                .body("name", equalTo(name))
                .body("node_count", equalTo(1))
                .body("master_count", equalTo(1))
                .body("baymodel_id", equalTo(baymodelUuid))
                .body("discovery_url", nullValue())
                .body("bay_create_timeout", equalTo(60))
                .body("status", matchesPattern("CREATE_(IN_PROGRESS|COMPLETE)"))
                .body("docker_volume_size", equalTo(3))
                .body("master_flavor_id", equalTo("m1.medium"));
        // stored with the owner from the validated token (not shown by the API, as in Magnum)
        Map<String, Object> row = rows.byUuid("bay", uuid);
        assertEquals(LocalCloud.token(LocalCloud.DEMO).projectId(), row.get("project_id"));
        assertThat(row.get("user_id")).asString().matches("[0-9a-f]{32}");
        // the caller's token rests only sealed (the Heat function makes the trust from it, then drops it)
        assertThat(row.values()).as("the token in no column in clear")
                .noneMatch(v -> v != null && v.toString().contains(LocalCloud.token(LocalCloud.DEMO).id()));
        assertEquals(1, rows.countNamed("bay", name));

        Api.asDemo().get("/v1/bays/" + name).then().statusCode(200).body("uuid", equalTo(uuid));
        Api.asDemo().get("/v1/bays?sort_key=created_at&sort_dir=desc&limit=20").then().statusCode(200)
                .body("bays.uuid", hasItem(uuid));
        Api.as(LocalCloud.ALT).get("/v1/bays/" + uuid).then().statusCode(404);
    }

    @Test
    void withoutAMicroversionTheAnswerIs201WithTheWholeBay() {
        String name = Api.unique("v11");
        String uuid = Api.asDemo().body("{\"name\": \"" + name + "\", \"node_count\": 2, \"baymodel_id\": \""
                        + baymodelName + "\"}")
                .post("/v1/bays")
                .then().statusCode(201)
                .header("OpenStack-API-Version", "container-infra 1.1")
                .header("Location", matchesPattern("http://[^/]+/v1/bays/[0-9a-f-]{36}"))
                .body("name", equalTo(name))
                .body("node_count", equalTo(2))
                .body("baymodel_id", equalTo(baymodelUuid))
                .body("status", equalTo("CREATE_IN_PROGRESS"))
                .body("stack_id", nullValue())
                .body("project_id", nullValue())
                .body("links[0].rel", equalTo("self"))
                .extract().path("uuid");
        Api.asDemo().header("OpenStack-API-Version", "container-infra 1.1").get("/v1/bays/" + uuid)
                .then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void microversion12AnswersWithTheUuidOnly() {
        String uuid = Api.asDemo().header("OpenStack-API-Version", "container-infra 1.2")
                .body(seedBody(Api.unique("v12"), baymodelUuid)).post("/v1/bays")
                .then().statusCode(202).body("$", aMapWithSize(1)).extract().path("uuid");
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200);
    }

    @Test
    void noTokenOrABadOneIs401AndStoresNothing() {
        String name = Api.unique("anon");
        given().contentType(ContentType.JSON).body(seedBody(name, baymodelUuid)).post("/v1/bays")
                .then().statusCode(401)
                .body("errors[0].status", equalTo(401))
                .body("errors[0].code", equalTo("client"));
        given().header("X-Auth-Token", "gAAAAABnot-a-real-token").contentType(ContentType.JSON)
                .body(seedBody(name, baymodelUuid)).post("/v1/bays")
                .then().statusCode(401).body("errors[0].status", equalTo(401));
        Api.asDemo().get("/v1/bays/" + name).then().statusCode(404);
    }

    @Test
    void revokedTokenIs401() {
        LocalCloud.Token token = LocalCloud.freshToken(LocalCloud.DEMO);
        given().header("X-Auth-Token", token.id()).get("/v1/bays").then().statusCode(200);
        LocalCloud.revoke(token);
        // the validation cache must not let a revoked token through for longer than its short TTL
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                given().header("X-Auth-Token", token.id()).get("/v1/bays?limit=1").statusCode() == 401);
        given().header("X-Auth-Token", token.id()).get("/v1/bays").then().statusCode(401)
                .body("errors[0].status", equalTo(401));
    }

    @Test
    void nodeCountZeroIs400() {
        assertRejected("{\"name\": \"" + Api.unique("zero") + "\", \"node_count\": 0, \"baymodel_id\": \""
                + baymodelUuid + "\"}", "node_count");
        assertRejected("{\"name\": \"" + Api.unique("zero") + "\", \"node_count\": \"0\", \"baymodel_id\": \""
                + baymodelUuid + "\"}", "node_count");
        assertRejected("{\"name\": \"" + Api.unique("neg") + "\", \"node_count\": -3, \"baymodel_id\": \""
                + baymodelUuid + "\"}", "node_count");
        assertRejected("{\"name\": \"" + Api.unique("nan") + "\", \"node_count\": \"one\", \"baymodel_id\": \""
                + baymodelUuid + "\"}", "node_count");
    }

    @Test
    void unknownBaymodelIs400() {
        assertRejected(seedBody(Api.unique("nomodel"), "5d12f6fd-a196-4bf0-ae4c-1f639a523a52"), "baymodel");
        assertRejected(seedBody(Api.unique("nomodel"), "no-such-baymodel"), "baymodel");
        assertRejected("{\"name\": \"" + Api.unique("nomodel") + "\", \"node_count\": 1}", "baymodel_id");
    }

    @Test
    void anotherProjectsPrivateBaymodelIs400() {
        assertRejected(LocalCloud.ALT, seedBody(Api.unique("foreign"), baymodelUuid), "baymodel");
    }

    @Test
    void malformedJsonIs400() {
        assertRejected("{\"name\": \"x\", \"node_count\": ", "JSON");
        assertRejected("not json at all", "JSON");
        assertRejected("[1, 2, 3]", "The request body does not have the expected structure.");
    }

    @Test
    void unknownFieldIs400() {
        assertRejected("{\"name\": \"" + Api.unique("extra") + "\", \"node_count\": 1, \"baymodel_id\": \""
                + baymodelUuid + "\", \"flavour\": \"big\"}", "flavour");
    }

    @Test
    void badNameIs400() {
        assertRejected(seedBody("1starts-with-a-digit", baymodelUuid), "name");
        assertRejected(seedBody("x".repeat(243), baymodelUuid), "name");
    }

    @Test
    void baysStayServedAt1Point11And1Point12WhereMagnumRemovedThem() {
        // a deliberate difference: Magnum 17.0 (microversion 1.11) removed bays; the seed's path stays
        for (String version : new String[] { "1.11", "1.12" }) {
            String name = Api.unique("v" + version.replace(".", ""));
            Api.asDemo().header("OpenStack-API-Version", "container-infra " + version)
                    .body(seedBody(name, baymodelUuid)).post("/v1/bays")
                    .then().statusCode(202).header("OpenStack-API-Version", "container-infra " + version);
            Api.asDemo().header("OpenStack-API-Version", "container-infra " + version).get("/v1/bays/" + name)
                    .then().statusCode(200).body("name", equalTo(name));
        }
    }

    @Test
    void unsupportedMicroversionIs406() {
        Api.asDemo().header("OpenStack-API-Version", "container-infra 1.13")
                .body(seedBody(Api.unique("v113"), baymodelUuid)).post("/v1/bays")
                .then().statusCode(406)
                .body("errors[0].code", equalTo("magnum.microversion-unsupported"))
                .body("errors[0].max_version", equalTo("1.12"))
                .body("errors[0].min_version", equalTo("1.1"));
    }

    @Test
    void patchRulesAreMagnums() {
        String uuid = Api.createBay(Api.unique("patch"), baymodelUuid, 1);
        assertPatchRejected(uuid, "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"other\"}]", "only node_count");
        assertPatchRejected(uuid, "[{\"op\": \"replace\", \"path\": \"/stack_id\", \"value\": \"x\"}]", "internal attribute");
        assertPatchRejected(uuid, "[{\"op\": \"move\", \"path\": \"/node_count\", \"from\": \"/x\"}]", "operation");
        assertPatchRejected(uuid, "[{\"op\": \"replace\", \"path\": \"node_count\", \"value\": 2}]", "path");
        assertPatchRejected(uuid, "[{\"op\": \"replace\", \"path\": \"/node_count\"}]", "value");
        assertPatchRejected(uuid, "[{\"op\": \"replace\", \"path\": \"/node_count\", \"value\": 0}]", "node_count");
        assertPatchRejected(uuid, "[{\"op\": \"replace\", \"path\": \"/node_count\", \"value\": \"two\"}]", "integer");
        assertPatchRejected(uuid, "[]", "JSON-patch");
        assertPatchRejected(uuid, "{\"node_count\": 2}", "The request body does not have the expected structure.");
        // well formed, but the bay is still being created: only *_COMPLETE bays may change
        assertPatchRejected(uuid, "[{\"op\": \"replace\", \"path\": \"/node_count\", \"value\": 2}]",
                "status is \"CREATE_IN_PROGRESS\" is not supported");
        Api.asDemo().get("/v1/bays/" + uuid).then().body("node_count", equalTo(1));
    }

    @Test
    void unknownOrForeignBaysAreNotFound() {
        String uuid = Api.createBay(Api.unique("mine"), baymodelUuid, 1);
        Api.as(LocalCloud.ALT).delete("/v1/bays/" + uuid).then().statusCode(404).body("errors[0].status", equalTo(404));
        Api.as(LocalCloud.ALT).body("[{\"op\": \"replace\", \"path\": \"/node_count\", \"value\": 2}]")
                .patch("/v1/bays/" + uuid).then().statusCode(404);
        Api.asDemo().delete("/v1/bays/5d12f6fd-a196-4bf0-ae4c-1f639a523a52").then().statusCode(404);
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).body("status", matchesPattern("CREATE_.*"));
    }

    private static void assertPatchRejected(String uuid, String body, String mention) {
        Api.asDemo().body(body).patch("/v1/bays/" + uuid).then().statusCode(400)
                .body("errors[0].status", equalTo(400))
                .body("errors[0].code", equalTo("client"))
                .body("errors[0].detail", containsStringIgnoringCase(mention));
    }

    private void assertRejected(String body, String mention) {
        assertRejected(LocalCloud.DEMO, body, mention);
    }

    private void assertRejected(LocalCloud.User user, String body, String mention) {
        // bays made from here on (a watermark of this test's own): deletes by background rounds cannot change it
        long watermark = lastBayId();
        Api.as(user).header("OpenStack-API-Version", LATEST).body(body).post("/v1/bays")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("errors.size()", equalTo(1))
                .body("errors[0].status", equalTo(400))
                .body("errors[0].code", equalTo("client"))
                .body("errors[0].title", notNullValue())
                .body("errors[0].detail", containsStringIgnoringCase(mention))
                .body("errors[0].request_id", matchesPattern("req-[0-9a-f-]{36}"))
                .body("errors[0].detail", not(containsString("Exception")));
        assertEquals(0, baysAfter(watermark), "a rejected request must store nothing");
    }

    private long lastBayId() {
        return pool.query("select coalesce(max(id), 0) from bay").execute().await().indefinitely()
                .iterator().next().getLong(0);
    }

    private long baysAfter(long id) {
        return pool.preparedQuery("select count(*) from bay where id > $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(id))
                .await().indefinitely().iterator().next().getLong(0);
    }

    /** Magnum's string fields take strings only: a number, boolean, array or object is a 400 naming the field. */
    @Test
    void aNonStringWhereAStringIsExpectedIs400NamingTheField() {
        for (String field : new String[] { "name", "baymodel_id", "discovery_url", "flavor_id", "master_flavor_id",
                "fixed_network", "fixed_subnet" }) {
            for (String value : new String[] { "1e308", "-1e308", "0", "true", "[\"x\"]", "{\"a\":\"b\"}" }) {
                StringBuilder body = new StringBuilder("{\"node_count\": \"1\"");
                if (!field.equals("name")) {
                    body.append(", \"name\": \"").append(Api.unique("type")).append('"');
                }
                if (!field.equals("baymodel_id")) {
                    body.append(", \"baymodel_id\": \"").append(baymodelUuid).append('"');
                }
                body.append(", \"").append(field).append("\": ").append(value).append('}');
                assertRejected(body.toString(), "Invalid input for field/attribute " + field + ". Value: '" + value
                        + "'. Wrong type. Expected 'string'.");
            }
        }
        // the seed's nulls and numeric string stay accepted (theSeedsRequestVerbatimIsAccepted)
    }

    @Test
    void upperCaseOrUndashedUuidsFindTheBay() {
        String uuid = Api.asDemo().header("OpenStack-API-Version", LATEST)
                .body(seedBody(Api.unique("case"), baymodelUuid.toUpperCase())).post("/v1/bays")
                .then().statusCode(202).extract().path("uuid");
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).body("baymodel_id", equalTo(baymodelUuid));
        String upper = uuid.toUpperCase();
        String undashed = uuid.replace("-", "");
        for (String ident : new String[] { upper, undashed, undashed.toUpperCase() }) {
            Api.asDemo().get("/v1/bays/" + ident).then().statusCode(200).body("uuid", equalTo(uuid));
            Api.asDemo().header("OpenStack-API-Version", LATEST).get("/v1/clusters/" + ident).then().statusCode(200)
                    .body("uuid", equalTo(uuid));
            Api.asDemo().get("/v1/bays/" + ident + "/progress").then().statusCode(200);
            Api.asDemo().get("/v1/clusters/" + ident + "/events").then().statusCode(200);
        }
        Api.asDemo().get("/v1/bays?marker=" + upper).then().statusCode(200).body("bays.uuid", not(hasItem(uuid)));
        // found (not 404): refused only because the bay is still being created
        Api.asDemo().body("[{\"op\": \"replace\", \"path\": \"/node_count\", \"value\": 2}]")
                .patch("/v1/bays/" + upper).then().statusCode(400)
                .body("errors[0].detail", containsString("CREATE_IN_PROGRESS"));
        Api.asDemo().delete("/v1/bays/" + undashed.toUpperCase()).then().statusCode(204);
        Map<String, Object> row = rows.byUuid("bay", uuid);
        assertThat(row == null || String.valueOf(row.get("status")).startsWith("DELETE")).as("deleted: " + row).isTrue();
    }
}
