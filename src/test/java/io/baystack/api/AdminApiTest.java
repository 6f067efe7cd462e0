package io.baystack.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Quotas, stats, mservices and what only admins may do, with real Keystone users and roles. */
@QuarkusTest
class AdminApiTest {

    @Inject
    Rows rows;

    @Test
    void quotaCrudIsForAdminsAndLimitsCreates() throws Exception {
        String alt = LocalCloud.token(LocalCloud.ALT).projectId();
        Api.as(LocalCloud.ADMIN).delete("/v1/quotas/" + alt + "/Cluster"); // one an earlier class of this boot may have set
        String model = Api.as(LocalCloud.ALT).body(Api.baymodel(Api.unique("q"), "debian-12"))
                .post("/v1/baymodels").then().statusCode(201).extract().path("uuid");
        // no quota of its own: the default
        Api.as(LocalCloud.ALT).get("/v1/quotas/" + alt + "/Cluster").then().statusCode(200)
                .body("project_id", equalTo(alt)).body("resource", equalTo("Cluster"))
                .body("hard_limit", equalTo(1000000));
        // users cannot set quotas, nor read another project's, nor list them
        Api.as(LocalCloud.ALT).body(Map.of("project_id", alt, "resource", "Cluster", "hard_limit", 99))
                .post("/v1/quotas").then().statusCode(403).body("errors[0].status", equalTo(403))
                .body("errors[0].detail", containsString("Policy doesn't allow quota:create"));
        Api.as(LocalCloud.ALT).get("/v1/quotas").then().statusCode(403);
        Api.as(LocalCloud.ALT).get("/v1/quotas/" + LocalCloud.token(LocalCloud.DEMO).projectId() + "/Cluster")
                .then().statusCode(403);

        long have = rows.baysOf(alt);
        Api.as(LocalCloud.ADMIN).body(Map.of("project_id", alt, "resource", "Cluster", "hard_limit", have + 1))
                .post("/v1/quotas").then().statusCode(201).body("hard_limit", equalTo((int) have + 1));
        Api.as(LocalCloud.ADMIN).body(Map.of("project_id", alt, "resource", "Cluster", "hard_limit", 5))
                .post("/v1/quotas").then().statusCode(409);
        Api.as(LocalCloud.ADMIN).body(Map.of("project_id", alt, "resource", "Pods", "hard_limit", 5))
                .post("/v1/quotas").then().statusCode(400).body("errors[0].detail", containsString("resource"));
        // an admin's list is their own project's, as in Magnum; all_tenants (or project_id) widens it
        Api.as(LocalCloud.ADMIN).get("/v1/quotas").then().statusCode(200)
                .body("quotas.project_id", org.hamcrest.Matchers.not(hasItem(alt)));
        Api.as(LocalCloud.ADMIN).get("/v1/quotas?all_tenants=1").then().statusCode(200).body("quotas.project_id", hasItem(alt));
        Api.as(LocalCloud.ADMIN).get("/v1/quotas?project_id=" + alt).then().statusCode(200)
                .body("quotas.project_id", org.hamcrest.Matchers.everyItem(equalTo(alt))).body("quotas", org.hamcrest.Matchers.hasSize(1));
        // paged: a quota for demo too, then one per page, walked by the next links
        String demo = LocalCloud.token(LocalCloud.DEMO).projectId();
        Api.as(LocalCloud.ADMIN).body(Map.of("project_id", demo, "resource", "Cluster", "hard_limit", 1000000))
                .post("/v1/quotas").then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(201), equalTo(409)));
        java.util.List<Object> walked = new java.util.ArrayList<>();
        String next = "/v1/quotas?all_tenants=1&limit=1&sort_key=id&sort_dir=desc";
        while (next != null) {
            io.restassured.path.json.JsonPath pageOf = Api.as(LocalCloud.ADMIN).get(next.replaceFirst("^https?://[^/]+", ""))
                    .then().statusCode(200).extract().jsonPath();
            assertThat(pageOf.getList("quotas")).hasSizeLessThanOrEqualTo(1);
            walked.addAll(pageOf.getList("quotas.id"));
            next = pageOf.getString("next");
            if (next != null) {
                // the link keeps the scope, or the walk would stop at the admin's own project
                next = next + "&all_tenants=1";
            }
        }
        assertThat(walked).isEqualTo(Api.as(LocalCloud.ADMIN).get("/v1/quotas?all_tenants=1&sort_dir=desc").then()
                .statusCode(200).extract().jsonPath().getList("quotas.id"));
        assertThat(walked).hasSizeGreaterThanOrEqualTo(2);
        Api.as(LocalCloud.ADMIN).get("/v1/quotas?limit=1&marker=999999999").then().statusCode(404);
        Api.as(LocalCloud.ADMIN).get("/v1/quotas?marker=x").then().statusCode(400)
                .body("errors[0].detail", equalTo("Invalid input for query parameter marker. Value: 'x'. Wrong type. Expected 'integer'."));

        Api.as(LocalCloud.ALT).body(Map.of("name", Api.unique("fits"), "baymodel_id", model, "node_count", 1))
                .post("/v1/bays").then().statusCode(201);
        String over = Api.unique("over");
        Api.as(LocalCloud.ALT).header("OpenStack-API-Version", "container-infra latest")
                .body(Map.of("name", over, "baymodel_id", model, "node_count", 1))
                .post("/v1/bays").then().statusCode(403).body("errors[0].status", equalTo(403))
                .body("errors[0].detail", containsString("You have reached the maximum clusters per project, " + (have + 1)));
        assertThat(rows.countNamed("bay", over)).isZero();
        assertThat(rows.baysOf(alt)).isEqualTo(have + 1);

        Api.as(LocalCloud.ADMIN).body(Map.of("project_id", alt, "resource", "Cluster", "hard_limit", have + 2))
                .patch("/v1/quotas/" + alt + "/Cluster").then().statusCode(202).body("hard_limit", equalTo((int) have + 2));
        // the one place left, raced for by eight creates at once: exactly one takes it
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> racing = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racing.add(pool.submit(() -> {
                go.await();
                return Api.as(LocalCloud.ALT).body(Map.of("name", Api.unique("race"), "baymodel_id", model, "node_count", 1))
                        .post("/v1/bays").then().extract().statusCode();
            }));
        }
        go.countDown();
        List<Integer> codes = new java.util.ArrayList<>();
        for (var f : racing) {
            codes.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(codes).containsOnly(201, 403);
        assertThat(java.util.Collections.frequency(codes, 201)).as("creates that took the last place: %s", codes).isEqualTo(1);
        assertThat(rows.baysOf(alt)).isEqualTo(have + 2);
        // the count the quota reads (kept by a trigger) is the project's real count
        assertThat(rows.projectBayCount(alt)).isEqualTo(have + 2);
        Api.as(LocalCloud.ADMIN).delete("/v1/quotas/" + alt + "/Cluster").then().statusCode(204);
        Api.as(LocalCloud.ADMIN).delete("/v1/quotas/" + alt + "/Cluster").then().statusCode(404);
    }

    @Test
    void statsCountClustersAndNodes() {
        String demo = LocalCloud.token(LocalCloud.DEMO).projectId();
        String model = Api.createBaymodel(Api.unique("st"), "debian-12");
        Api.createBay(Api.unique("st"), model, 3);
        long clusters = rows.baysOf(demo);
        long nodes = rows.nodesOf(demo);
        Api.asDemo().get("/v1/stats").then().statusCode(200)
                .body("clusters", equalTo((int) clusters)).body("nodes", equalTo((int) nodes));
        Api.asDemo().get("/v1/stats?type=cluster&project_id=" + demo).then().statusCode(200)
                .body("clusters", equalTo((int) clusters));
        Api.as(LocalCloud.ADMIN).get("/v1/stats?project_id=" + demo).then().statusCode(200)
                .body("clusters", equalTo((int) clusters)).body("nodes", equalTo((int) nodes));
        Api.asDemo().get("/v1/stats?project_id=" + LocalCloud.token(LocalCloud.ALT).projectId()).then().statusCode(403);
        Api.asDemo().get("/v1/stats?type=pod").then().statusCode(400);
        int all = Api.as(LocalCloud.ADMIN).get("/v1/stats").then().statusCode(200).extract().path("clusters");
        assertThat((long) all).isGreaterThanOrEqualTo(clusters + rows.baysOf(LocalCloud.token(LocalCloud.ALT).projectId()));
    }

    @Test
    void mservicesShowTheRunningFunctionsToAdminsOnly() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                Api.as(LocalCloud.ADMIN).get("/v1/mservices").then().extract().jsonPath()
                        .getList("mservices.findAll { it.state == 'up' }.binary").size() >= 3);
        Api.as(LocalCloud.ADMIN).get("/v1/mservices").then().statusCode(200)
                .body("mservices.binary", hasItems("baystack-api", "baystack-conductor", "baystack-reconciler"))
                .body("mservices[0].report_count", org.hamcrest.Matchers.greaterThan(0));
        Api.asDemo().get("/v1/mservices").then().statusCode(403)
                .body("errors[0].detail", containsString("magnum-service:get_all"));
    }

    @Test
    void adminsSeeEveryProjectUsersOnlyTheirs() {
        String model = Api.createBaymodel(Api.unique("ten"), "debian-12");
        String uuid = Api.createBay(Api.unique("ten"), model, 1);
        String demo = LocalCloud.token(LocalCloud.DEMO).projectId();
        Api.as(LocalCloud.ADMIN).get("/v1/clusters?project_id=" + demo + "&sort_key=created_at&sort_dir=desc&limit=5")
                .then().statusCode(200).body("clusters.uuid", hasItem(uuid));
        Api.as(LocalCloud.ADMIN).get("/v1/bays?all_tenants=1&sort_key=created_at&sort_dir=desc&limit=20")
                .then().statusCode(200).body("bays.uuid", hasItem(uuid));
        Api.as(LocalCloud.ADMIN).get("/v1/clusters").then().statusCode(200).body("clusters.uuid", not(hasItem(uuid)));
        Api.as(LocalCloud.ADMIN).get("/v1/clusters/" + uuid).then().statusCode(200).body("project_id", equalTo(demo));
        Api.as(LocalCloud.ALT).get("/v1/clusters?all_tenants=1").then().statusCode(403)
                .body("errors[0].detail", containsString("get_all_all_projects"));
        Api.as(LocalCloud.ALT).get("/v1/bays?project_id=" + demo).then().statusCode(403);
        Api.as(LocalCloud.ALT).get("/v1/clusters/" + uuid).then().statusCode(404);
        given().contentType(ContentType.JSON).get("/v1/stats").then().statusCode(401);
    }
}
