package io.baystack.bay;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.baystack.support.FastTier;

/** Zed's defaults and inheritance for bays and clusters, and who may publish a model. */
@FastTier
@QuarkusTest
class BayDefaultsTest {

    @Test
    void absentFieldsGetMagnumsDefaults() {
        Map<String, Object> model = new HashMap<>(Api.baymodel(Api.unique("def"), "debian-12"));
        model.put("labels", Map.of("kube_tag", "v1.27.3", "zone", "a"));
        model.put("master_lb_enabled", true);
        String uuid = Api.asDemo().body(model).post("/v1/baymodels").then().statusCode(201).extract().path("uuid");

        // no name: a generated one; timeout 0: the configured default; the rest from the model
        Api.asDemo().body(Map.of("baymodel_id", uuid, "master_count", 3)).post("/v1/bays").then().statusCode(400)
                .body("errors[0].detail", containsString("one master"));
        String bay = Api.asDemo().body(Map.of("baymodel_id", uuid, "bay_create_timeout", 0))
                .post("/v1/bays").then().statusCode(201)
                .body("name", matchesPattern("[a-z]+-\\d+-bay"))
                .body("bay_create_timeout", equalTo(60))
                .body("node_count", equalTo(1))
                .body("master_count", equalTo(1))
                .body("docker_volume_size", equalTo(3))
                .body("flavor_id", equalTo("m1.small"))
                .body("master_flavor_id", equalTo("m1.medium"))
                .body("fixed_network", equalTo("10.11.0.0/24"))
                .body("master_lb_enabled", equalTo(true))
                .body("labels.kube_tag", equalTo("v1.27.3"))
                .extract().path("uuid");
        Api.asDemo().get("/v1/bays/" + bay).then().body("labels.zone", equalTo("a"));

        // a cluster's own labels replace the template's, unless merge_labels
        String replaced = Api.asDemo().body(Map.of("cluster_template_id", uuid, "labels", Map.of("zone", "b")))
                .post("/v1/clusters").then().statusCode(202).extract().path("uuid");
        Api.asDemo().get("/v1/clusters/" + replaced).then().body("labels", equalTo(Map.of("zone", "b")))
                .body("name", matchesPattern("[a-z]+-\\d+-cluster"));
        String merged = Api.asDemo().body(Map.of("cluster_template_id", uuid, "labels", Map.of("zone", "b"),
                        "merge_labels", true))
                .post("/v1/clusters").then().statusCode(202).extract().path("uuid");
        Api.asDemo().get("/v1/clusters/" + merged).then()
                .body("labels", equalTo(Map.of("kube_tag", "v1.27.3", "zone", "b")));
    }

    @Test
    void badTimeoutsAndMasterCountsAre400() {
        String uuid = Api.createBaymodel(Api.unique("bad"), "debian-12");
        Api.asDemo().body(Map.of("baymodel_id", uuid, "bay_create_timeout", -1)).post("/v1/bays").then()
                .statusCode(400).body("errors[0].detail", containsString("bay_create_timeout"));
        Api.asDemo().body(Map.of("baymodel_id", uuid, "master_count", 0)).post("/v1/bays").then()
                .statusCode(400).body("errors[0].detail", containsString("master_count"));
        // several masters need a load balancer in front of them
        Api.asDemo().body(Map.of("baymodel_id", uuid, "master_count", 2)).post("/v1/bays").then()
                .statusCode(400).body("errors[0].detail", containsString("master_lb_enabled"));
    }

    @Test
    void onlyAdminsPublishAndPublicModelsServeEveryProject() {
        Map<String, Object> model = new HashMap<>(Api.baymodel(Api.unique("pub"), "debian-12"));
        model.put("public", true);
        Api.asDemo().body(model).post("/v1/clustertemplates").then().statusCode(403)
                .body("errors[0].status", equalTo(403)).body("errors[0].detail", containsString("public or hidden"));
        String uuid = Api.as(LocalCloud.ADMIN).body(model).post("/v1/clustertemplates").then().statusCode(201)
                .body("public", equalTo(true)).extract().path("uuid");
        // visible to and usable by another project, which cannot change or delete it
        Api.as(LocalCloud.ALT).get("/v1/clustertemplates/" + uuid).then().statusCode(200);
        Api.as(LocalCloud.ALT).body(Map.of("cluster_template_id", uuid, "name", Api.unique("onpub")))
                .post("/v1/clusters").then().statusCode(202);
        Api.as(LocalCloud.ALT).delete("/v1/clustertemplates/" + uuid).then().statusCode(404);
        String mine = Api.createBaymodel(Api.unique("priv"), "debian-12");
        Api.asDemo().body(java.util.List.of(Map.of("op", "replace", "path", "/public", "value", true)))
                .patch("/v1/baymodels/" + mine).then().statusCode(403);
    }
}
