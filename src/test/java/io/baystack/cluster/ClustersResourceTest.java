package io.baystack.cluster;

import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.baystack.support.FastTier;

/** Clusters and cluster templates: the same models and bays under today's names and rules. */
@FastTier
@QuarkusTest
class ClustersResourceTest {

    private static RequestSpecification at(String version) {
        return Api.asDemo().header("OpenStack-API-Version", "container-infra " + version);
    }

    private static Map<String, Object> template(String name) {
        Map<String, Object> t = new HashMap<>(Api.baymodel(name, "debian-12"));
        t.remove("keypair_id"); // optional for cluster templates
        return t;
    }

    private static String createTemplate(String name) {
        return Api.asDemo().body(template(name)).post("/v1/clustertemplates").then().statusCode(201)
                .header("Location", containsString("/v1/clustertemplates/"))
                .body("project_id", equalTo(LocalCloud.token(LocalCloud.DEMO).projectId()))
                .body("user_id", notNullValue())
                .body("links[0].href", containsString("/v1/clustertemplates/"))
                .extract().path("uuid");
    }

    @Test
    void createTakesTheTemplateByNameAndAlwaysAnswers202() {
        String t = Api.unique("ct");
        String templateUuid = createTemplate(t);
        String name = Api.unique("cl");
        // 1.1, no header: still 202 {"uuid"} for clusters
        String uuid = Api.asDemo().body(Map.of("name", name, "cluster_template_id", t, "node_count", 1,
                        "keypair", "otherkey", "labels", Map.of("a", 1, "b", true)))
                .post("/v1/clusters").then().statusCode(202).body("$", aMapWithSize(1))
                .extract().path("uuid");
        Api.asDemo().get("/v1/clusters/" + name).then().statusCode(200)
                .body("uuid", equalTo(uuid))
                .body("cluster_template_id", equalTo(templateUuid))
                .body("keypair", equalTo("otherkey"))
                .body("labels.a", equalTo("1"))
                .body("create_timeout", equalTo(60))
                .body("status_reason", notNullValue())
                .body("project_id", equalTo(LocalCloud.token(LocalCloud.DEMO).projectId()))
                .body("$", hasKey("health_status"))
                .body("$", not(hasKey("baymodel_id")));
        // the summary list has no detail fields; the bay under its old name is the same object
        Api.asDemo().get("/v1/clusters?sort_key=created_at&sort_dir=desc&limit=20").then().statusCode(200)
                .body("clusters.find { it.uuid == '" + uuid + "' }.keypair", equalTo("otherkey"))
                .body("clusters.find { it.uuid == '" + uuid + "' }", not(hasKey("status_reason")));
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).body("baymodel_id", equalTo(templateUuid));
    }

    @Test
    void theClusterDetailShowsHowItsLabelsDifferFromItsTemplatesAndNoLabelsMeansTheTemplates() {
        Map<String, Object> t = template(Api.unique("ct"));
        t.put("labels", Map.of("kube_tag", "v1.30.1", "network_driver_opt", "x", "keep", "same"));
        String template = Api.asDemo().body(t).post("/v1/clustertemplates").then().statusCode(201).extract().path("uuid");
        String merged = Api.asDemo().header("OpenStack-API-Version", "container-infra latest")
                .body(Map.of("name", Api.unique("cl"), "cluster_template_id", template, "node_count", 1,
                        "merge_labels", true, "labels", Map.of("kube_tag", "v1.31.0", "extra", "1")))
                .post("/v1/clusters").then().statusCode(202).extract().path("uuid");
        Api.asDemo().get("/v1/clusters/" + merged).then().statusCode(200)
                .body("labels_overridden", equalTo(Map.of("kube_tag", "v1.30.1")))
                .body("labels_added", equalTo(Map.of("extra", "1")))
                .body("labels_skipped", equalTo(Map.of()));
        String replaced = Api.asDemo().body(Map.of("name", Api.unique("cl"), "cluster_template_id", template, "node_count", 1,
                        "labels", Map.of("keep", "same")))
                .post("/v1/clusters").then().statusCode(202).extract().path("uuid");
        Api.asDemo().get("/v1/clusters/" + replaced).then().statusCode(200)
                .body("labels_overridden", equalTo(Map.of()))
                .body("labels_added", equalTo(Map.of()))
                .body("labels_skipped", equalTo(Map.of("kube_tag", "v1.30.1", "network_driver_opt", "x")));
        // an empty labels map takes the template's (as Magnum), like no labels at all
        String empty = Api.asDemo().body(Map.of("name", Api.unique("cl"), "cluster_template_id", template, "node_count", 1,
                        "labels", Map.of()))
                .post("/v1/clusters").then().statusCode(202).extract().path("uuid");
        Api.asDemo().get("/v1/clusters/" + empty).then().statusCode(200)
                .body("labels.kube_tag", equalTo("v1.30.1"))
                .body("labels_skipped", equalTo(Map.of()));
        // the lists leave the diff out
        Api.asDemo().get("/v1/clusters/detail?limit=50&sort_key=created_at&sort_dir=desc").then().statusCode(200)
                .body("clusters.find { it.uuid == '" + merged + "' }", not(hasKey("labels_overridden")));
    }

    @Test
    void tlsDisabledAnUnknownNetworkDriverAndKnownLabelsOfTheWrongShapeAreRefusedNamingWhy() {
        Map<String, Object> noTls = template(Api.unique("ct"));
        noTls.put("tls_disabled", true);
        assertBad(Api.asDemo().body(noTls), "/v1/clustertemplates", "tls_disabled=true is not supported");
        Map<String, Object> noTlsModel = new HashMap<>(Api.baymodel(Api.unique("bm"), "debian-12"));
        noTlsModel.put("tls_disabled", true);
        assertBad(Api.asDemo().body(noTlsModel), "/v1/baymodels", "tls_disabled=true is not supported");
        Map<String, Object> weave = template(Api.unique("ct"));
        weave.put("network_driver", "weave");
        assertBad(Api.asDemo().body(weave), "/v1/clustertemplates", "flannel, calico");
        for (Map.Entry<String, String> bad : Map.of("kube_tag", "latest", "container_infra_prefix", "registry.example.com",
                "package_repository", "ftp://mirror", "flannel_network_cidr", "10.100.0.0", "calico_tag", "v3;reboot",
                "cni_manifest_url", "https://x/a b").entrySet()) {
            Map<String, Object> t = template(Api.unique("ct"));
            t.put("labels", Map.of(bad.getKey(), bad.getValue()));
            assertBad(Api.asDemo().body(t), "/v1/clustertemplates", "Invalid label " + bad.getKey());
        }
        // on the cluster too: its own labels are checked as its template's are
        String template = createTemplate(Api.unique("ct"));
        assertBad(Api.asDemo().body(Map.of("name", Api.unique("cl"), "cluster_template_id", template, "node_count", 1,
                "labels", Map.of("service_cluster_ip_range", "everything"))), "/v1/clusters", "Invalid label service_cluster_ip_range");
        // well-shaped ones are taken
        Map<String, Object> good = template(Api.unique("ct"));
        good.put("network_driver", "calico");
        good.put("labels", Map.of("kube_tag", "v1.33.5", "container_infra_prefix", "registry.example.com:5000/k8s/",
                "package_repository", "https://mirror.example.com/k8s/core:/stable:", "calico_ipv4pool", "192.168.0.0/16"));
        Api.asDemo().body(good).post("/v1/clustertemplates").then().statusCode(201).body("network_driver", equalTo("calico"));
    }

    @Test
    void clusterValidation() {
        String t = Api.unique("ctv");
        createTemplate(t);
        assertBad(at("latest").body(Map.of("name", Api.unique("x"), "node_count", 1)), "/v1/clusters", "cluster_template_id");
        assertBad(at("latest").body(Map.of("name", Api.unique("x"), "cluster_template_id", "no-such-template")),
                "/v1/clusters", "ClusterTemplate no-such-template could not be found");
        assertBad(at("1.9").body(Map.of("name", Api.unique("x"), "cluster_template_id", t, "node_count", 0)),
                "/v1/clusters", "node_count");
        assertBad(at("latest").body(Map.of("name", Api.unique("x"), "cluster_template_id", t, "create_timeout", -1)),
                "/v1/clusters", "create_timeout");
        assertBad(at("latest").body(Map.of("name", Api.unique("x"), "cluster_template_id", t, "master_count", 3)),
                "/v1/clusters", "master_count");
        assertBad(at("latest").body(Map.of("name", Api.unique("x"), "cluster_template_id", t,
                "labels", Map.of("nested", Map.of("no", "way")))), "/v1/clusters", "labels");
        // from 1.10 a cluster may have no minions
        at("latest").body(Map.of("name", Api.unique("zero"), "cluster_template_id", t, "node_count", 0))
                .post("/v1/clusters").then().statusCode(202);
    }

    @Test
    void resizeRules() {
        String t = Api.unique("ctr");
        createTemplate(t);
        String uuid = at("latest").body(Map.of("name", Api.unique("rs"), "cluster_template_id", t))
                .post("/v1/clusters").then().statusCode(202).extract().path("uuid");
        assertBad(at("latest").body(Map.of("node_count", -1)), "/v1/clusters/" + uuid + "/actions/resize", "node_count");
        assertBad(at("latest").body(Map.of("node_count", 2)), "/v1/clusters/" + uuid + "/actions/resize",
                "status is \"CREATE_IN_PROGRESS\" is not supported");
        at("1.6").body(Map.of("node_count", 2)).post("/v1/clusters/" + uuid + "/actions/resize")
                .then().statusCode(404).body("errors[0].status", equalTo(404));
    }

    @Test
    void templatesInUseOnlyChangeNamePublicHiddenAndCannotBeDeleted() {
        String t = Api.unique("ctu");
        String templateUuid = createTemplate(t);
        at("latest").body(Map.of("name", Api.unique("user"), "cluster_template_id", templateUuid))
                .post("/v1/clusters").then().statusCode(202);
        String renamed = Api.unique("ctu-renamed");
        Api.asDemo().body(List.of(Map.of("op", "replace", "path", "/name", "value", renamed)))
                .patch("/v1/clustertemplates/" + t).then().statusCode(200).body("name", equalTo(renamed));
        Api.asDemo().body(List.of(Map.of("op", "replace", "path", "/image_id", "value", "other")))
                .patch("/v1/clustertemplates/" + templateUuid).then().statusCode(400)
                .body("errors[0].detail", containsString("referenced by one or multiple clusters"));
        Api.asDemo().delete("/v1/clustertemplates/" + templateUuid).then().statusCode(400)
                .body("errors[0].detail", containsString("referenced by one or multiple clusters"));
        Api.asDemo().get("/v1/clustertemplates/" + templateUuid).then().statusCode(200).body("image_id", equalTo("debian-12"));
    }

    @Test
    void templatePatchTakesTheClientsLabelLiteralAndValidates() {
        String t = Api.unique("ctp");
        String uuid = createTemplate(t);
        Api.asDemo().body(List.of(Map.of("op", "replace", "path", "/labels", "value", "{'a': 'b', 'n': 3, 'on': True}"),
                        Map.of("op", "add", "path", "/docker_volume_size", "value", 9),
                        Map.of("op", "remove", "path", "/dns_nameserver")))
                .patch("/v1/clustertemplates/" + uuid).then().statusCode(200)
                .body("labels.a", equalTo("b")).body("labels.n", equalTo("3")).body("labels.on", equalTo("true"))
                .body("docker_volume_size", equalTo(9)).body("dns_nameserver", equalTo(null))
                .body("updated_at", matchesPattern("\\d{4}-.*\\+00:00"));
        assertPatchBad(uuid, Map.of("op", "replace", "path", "/uuid", "value", "x"), "internal attribute");
        assertPatchBad(uuid, Map.of("op", "replace", "path", "/coe", "value", "nomad"), "coe");
        assertPatchBad(uuid, Map.of("op", "replace", "path", "/apiserver_port", "value", 80), "apiserver_port");
        assertPatchBad(uuid, Map.of("op", "replace", "path", "/no_such_field", "value", 1), "no_such_field");
        assertPatchBad(uuid, Map.of("op", "replace", "path", "/labels", "value", "{'a': [1]}"), "labels");
        Api.asDemo().get("/v1/clustertemplates/" + uuid).then().body("coe", equalTo("kubernetes"));
    }

    @Test
    void templateAndBaymodelRulesDiffer() {
        Map<String, Object> dnsList = new HashMap<>(template(Api.unique("dns")));
        dnsList.put("dns_nameserver", "8.8.8.8,1.1.1.1");
        Api.asDemo().body(dnsList).post("/v1/clustertemplates").then().statusCode(201);
        dnsList.put("keypair_id", "testkey");
        dnsList.put("name", Api.unique("dns"));
        assertBad(Api.asDemo().body(dnsList), "/v1/baymodels", "dns_nameserver");

        Map<String, Object> scalarLabels = new HashMap<>(Api.baymodel(Api.unique("lbl"), "debian-12"));
        scalarLabels.put("labels", Map.of("n", 1));
        assertBad(Api.asDemo().body(scalarLabels), "/v1/baymodels", "labels");
        scalarLabels.remove("keypair_id");
        Api.asDemo().body(scalarLabels).post("/v1/clustertemplates").then().statusCode(201).body("labels.n", equalTo("1"));
        // bay models do not show their owner
        String bm = Api.createBaymodel(Api.unique("bm"), "debian-12");
        Api.asDemo().get("/v1/baymodels/" + bm).then().body("$", not(hasKey("project_id")));
        Api.asDemo().get("/v1/clustertemplates/" + bm).then().body("project_id", notNullValue());
    }

    @Test
    void anAmbiguousNameIs409() {
        String t = Api.unique("twin");
        createTemplate(t);
        createTemplate(t);
        Api.asDemo().get("/v1/clustertemplates/" + t).then().statusCode(409)
                .body("errors[0].status", equalTo(409))
                .body("errors[0].detail", containsString("Multiple clustertemplates exist with same name"));
    }

    private static void assertBad(RequestSpecification request, String path, String mention) {
        request.post(path).then().statusCode(400).body("errors[0].status", equalTo(400))
                .body("errors[0].code", equalTo("client")).body("errors[0].detail", containsString(mention));
    }

    private static void assertPatchBad(String uuid, Map<String, Object> op, String mention) {
        Api.asDemo().body(List.of(op)).patch("/v1/clustertemplates/" + uuid).then().statusCode(400)
                .body("errors[0].status", equalTo(400)).body("errors[0].detail", containsString(mention));
    }

    /** Cluster string fields take strings only (Magnum's types); a resize names the field too. */
    @Test
    void aNonStringWhereAStringIsExpectedIs400NamingTheField() {
        String t = Api.unique("ct-type");
        createTemplate(t);
        for (String field : new String[] { "name", "cluster_template_id", "keypair", "discovery_url", "flavor_id",
                "master_flavor_id", "fixed_network", "fixed_subnet" }) {
            for (String value : new String[] { "1e308", "-1e308", "true", "[1]", "{}" }) {
                String name = Api.unique("cl-type");
                StringBuilder body = new StringBuilder("{\"node_count\": \"1\"");
                if (!field.equals("name")) {
                    body.append(", \"name\": \"").append(name).append('"');
                }
                if (!field.equals("cluster_template_id")) {
                    body.append(", \"cluster_template_id\": \"").append(t).append('"');
                }
                body.append(", \"").append(field).append("\": ").append(value).append('}');
                at("1.10").body(body.toString()).post("/v1/clusters").then().statusCode(400)
                        .body("errors[0].status", equalTo(400))
                        .body("errors[0].detail", equalTo("Invalid input for field/attribute " + field + ". Value: '"
                                + value + "'. Wrong type. Expected 'string'."));
                at("1.10").get("/v1/clusters/" + name).then().statusCode(404);
            }
        }
        at("1.10").body("{\"node_count\": 1, \"nodegroup\": 5}").post("/v1/clusters/no-such-cluster/actions/resize")
                .then().statusCode(400)
                .body("errors[0].detail", equalTo("Invalid input for field/attribute nodegroup. Value: '5'. Wrong type. Expected 'string'."));
    }
}
