package io.baystack.support;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Requests to baystack's v1 API as a local Keystone user. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(LocalCloud.User user) {
        return given().header("X-Auth-Token", LocalCloud.token(user).id())
                .contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static RequestSpecification asDemo() {
        return as(LocalCloud.DEMO);
    }

    /** A name no other test of this boot uses (the database is wiped at each boot; Heat's stack names are shared). */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A kubernetes baymodel of the demo project; {@code image} "stand-in-fail" makes the master fail. */
    public static Map<String, Object> baymodel(String name, String image) {
        return Map.of("name", name, "coe", "kubernetes", "image_id", image, "flavor_id", "m1.small",
                "master_flavor_id", "m1.medium", "keypair_id", "testkey", "external_network_id", "public",
                "fixed_network", "10.11.0.0/24", "dns_nameserver", "8.8.8.8", "docker_volume_size", 3);
    }

    /** Creates a baymodel as the demo user and returns its uuid. */
    public static String createBaymodel(String name, String image) {
        return asDemo().body(baymodel(name, image)).post("/v1/baymodels")
                .then().statusCode(201).extract().path("uuid");
    }

    /** Creates a bay as the demo user at the latest microversion (node_count sent as the seed does, a string). */
    public static String createBay(String name, String baymodel, int nodeCount) {
        return asDemo().header("OpenStack-API-Version", "container-infra latest")
                .body(Map.of("name", name, "node_count", String.valueOf(nodeCount), "baymodel_id", baymodel))
                .post("/v1/bays").then().statusCode(202).extract().path("uuid");
    }

    /** Polls the demo user's bay until it reaches a final status (*_COMPLETE or *_FAILED); returns it. */
    public static JsonPath awaitFinal(String uuid) {
        JsonPath[] last = new JsonPath[1];
        // every half second: a test's bays end within a reconciler round (1 s) of Heat, and most tests wait on them
        // at most 8 minutes: bays asked for together wait on the one local Heat, which on a loaded 2-core CI
        // machine took over 4 minutes to build some real-cloud bays of a batch
        Awaitility.await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = asDemo().get("/v1/bays/" + uuid).then().statusCode(200).extract().jsonPath();
            String status = last[0].getString("status");
            return status.endsWith("_COMPLETE") || status.endsWith("_FAILED");
        });
        return last[0];
    }
}
