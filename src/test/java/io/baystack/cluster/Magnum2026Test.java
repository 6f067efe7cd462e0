package io.baystack.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;

/** What Magnum 2026.1 and python-magnumclient 4.11+ send and expect beyond Zed: microversions, fields, hidden templates. */
@QuarkusTest
class Magnum2026Test {

    @Inject
    Rows rows;

    private static Map<String, Object> template(String name, Object driver) {
        Map<String, Object> body = new HashMap<>(Api.baymodel(name, "debian-12"));
        body.put("driver", driver);
        return body;
    }

    @Test
    void aTemplatesDriverIsStoredShownAndCheckedAgainstWhatBaystackServes() {
        // the next client sends "driver": null on every create
        String plain = Api.unique("drv");
        Api.asDemo().body(template(plain, null)).post("/v1/clustertemplates").then().statusCode(201)
                .body("$", hasKey("driver")).body("driver", nullValue());
        String named = Api.unique("drv");
        String uuid = Api.asDemo().body(template(named, "k8s_fedora_coreos_v1")).post("/v1/clustertemplates").then()
                .statusCode(201).body("driver", equalTo("k8s_fedora_coreos_v1")).extract().path("uuid");
        Api.asDemo().get("/v1/clustertemplates/" + uuid).then().statusCode(200).body("driver", equalTo("k8s_fedora_coreos_v1"));

        String other = Api.unique("drv");
        Api.asDemo().body(template(other, "k8s_capi_helm_v1")).post("/v1/clustertemplates").then().statusCode(400)
                .body("errors[0].detail", equalTo("Invalid input for field/attribute driver. Value: 'k8s_capi_helm_v1'."
                        + " Value should be one of: k8s_fedora_coreos_v1."));
        assertThat(rows.countNamed("baymodel", other)).isZero();
        Api.asDemo().body(List.of(Map.of("op", "replace", "path", "/driver", "value", "k8s_capi_helm_v1")))
                .patch("/v1/clustertemplates/" + uuid).then().statusCode(400)
                .body("errors[0].detail", containsString("Value should be one of: k8s_fedora_coreos_v1."));

        // Zed's baymodels have no driver: refused as any unknown field, and not shown
        String bm = Api.unique("drv");
        Api.asDemo().body(template(bm, "k8s_fedora_coreos_v1")).post("/v1/baymodels").then().statusCode(400)
                .body("errors[0].detail", equalTo("Unknown attribute: driver."));
        Api.asDemo().get("/v1/baymodels/" + uuid).then().statusCode(200).body("$", not(hasKey("driver")));
    }

    @Test
    void hiddenTemplatesAreListedToAdminsAloneAndOnlyAdminsCreateFromThem() {
        String name = Api.unique("hid");
        Map<String, Object> body = new HashMap<>(Api.baymodel(name, "debian-12"));
        body.put("public", true);
        body.put("hidden", true);
        String uuid = Api.as(LocalCloud.ADMIN).body(body).post("/v1/clustertemplates").then().statusCode(201)
                .extract().path("uuid");

        String everything = "/v1/clustertemplates?limit=1000&sort_key=created_at&sort_dir=desc";
        Api.asDemo().get(everything).then().statusCode(200).body("clustertemplates.uuid", not(hasItem(uuid)));
        Api.asDemo().get("/v1/baymodels?limit=1000&sort_key=created_at&sort_dir=desc").then().statusCode(200)
                .body("baymodels.uuid", not(hasItem(uuid)));
        Api.as(LocalCloud.ADMIN).get(everything).then().statusCode(200).body("clustertemplates.uuid", hasItem(uuid));
        // still readable by its ident (Magnum 2026.1)
        Api.asDemo().get("/v1/clustertemplates/" + uuid).then().statusCode(200).body("hidden", equalTo(true));

        String cluster = Api.unique("hid");
        Api.asDemo().body(Map.of("name", cluster, "cluster_template_id", uuid, "node_count", 1)).post("/v1/clusters")
                .then().statusCode(403).body("errors[0].status", equalTo(403))
                .body("errors[0].detail", equalTo("ClusterTemplate " + uuid + " is hidden: only an admin may create a cluster from it."));
        assertThat(rows.countNamed("bay", cluster)).isZero();
        Api.as(LocalCloud.ADMIN).body(Map.of("name", cluster, "cluster_template_id", uuid, "node_count", 1))
                .post("/v1/clusters").then().statusCode(202);
    }

    @Test
    void microversions1Point11And1Point12AreServed() {
        for (String version : new String[] { "1.11", "1.12" }) {
            Api.asDemo().header("OpenStack-API-Version", "container-infra " + version).get("/v1/clusters")
                    .then().statusCode(200).header("OpenStack-API-Version", "container-infra " + version)
                    .header("OpenStack-API-Maximum-Version", "container-infra 1.12");
        }
        Api.asDemo().header("OpenStack-API-Version", "container-infra latest").get("/v1/clusters")
                .then().statusCode(200).header("OpenStack-API-Version", "container-infra 1.12");
    }
}
