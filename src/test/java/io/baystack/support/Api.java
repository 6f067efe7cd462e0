package io.baystack.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Requests to baystack's v1 API as a local Keystone user. */
public final class Api {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * GET {@code path} as {@code user}, expecting 200, read with Jackson. For the loops that poll a bay: REST Assured
     * compiles a Groovy script for each path it reads from a body, and with a poll every half second that was
     * the larger part of the slow tiers' JVM time (sampled in CI).
     */
    public static JsonNode getJson(LocalCloud.User user, String path) {
        HttpResponse<String> response = get(user, path, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " answered no JSON: " + response.body(), e);
        }
    }

    /** The status code the demo user gets for GET {@code path} (the loops that wait for a bay to be gone). */
    public static int demoGetStatus(String path) {
        return get(LocalCloud.DEMO, path, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static <T> HttpResponse<T> get(LocalCloud.User user, String path, HttpResponse.BodyHandler<T> body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .header("X-Auth-Token", LocalCloud.token(user).id()).header("Accept", "application/json").GET().build();
        try {
            return HTTP.send(request, body);
        } catch (IOException e) {
            throw new AssertionError("GET " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("GET " + path + " interrupted", e);
        }
    }

    /** Polls {@code user}'s bay every half second, at most {@code atMost}, until its status meets {@code done}; returns it. */
    public static JsonPath awaitBay(LocalCloud.User user, String uuid, Duration atMost, Predicate<String> done) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = getJson(user, "/v1/bays/" + uuid);
            return done.test(last[0].path("status").asText());
        });
        return JsonPath.from(last[0].toString());
    }

    /** Polls the demo user's bay until it reaches a final status (*_COMPLETE or *_FAILED); returns it. */
    public static JsonPath awaitFinal(String uuid) {
        // every half second: a test's bays end within a reconciler round (1 s) of Heat, and most tests wait on them
        // at most 8 minutes: bays asked for together wait on the one local Heat, which on a loaded 2-core CI
        // machine took over 4 minutes to build some real-cloud bays of a batch
        return awaitBay(LocalCloud.DEMO, uuid, Duration.ofMinutes(8),
                status -> status.endsWith("_COMPLETE") || status.endsWith("_FAILED"));
    }
}
