package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.baystack.support.Api;
import io.baystack.support.CloudInventory;
import io.baystack.support.LocalCloud;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A cluster with two worker groups on the real local Heat, Nova, Neutron and Cinder: an extra group is
 * added (its own flavor and size), scaled down by a server's name, the cluster upgraded, the group
 * deleted, then the cluster; the stack and Nova follow each step. With the node-group API's refusals,
 * each in Magnum's body, on the same cluster. One flow of {@link BayScaleAndDeleteEndToEndTest}.
 */
final class NodeGroupFlow {

    private static final String LATEST = "container-infra latest";

    private NodeGroupFlow() {
    }

    private static RequestSpecification api() {
        return Api.asDemo().header("OpenStack-API-Version", LATEST);
    }

    static void run(String name, String uuid, String upgradeTo) {
        String stackName = Bay.stackNameFor(name, uuid);
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        String groups = "/v1/clusters/" + uuid + "/nodegroups";
        JsonPath created = Api.awaitFinal(uuid);
        assertThat(created.getString("status")).as(created.prettify()).isEqualTo("CREATE_COMPLETE");

        // every cluster has its two default groups, the bay's own
        api().get(groups + "/").then().statusCode(200).body("nodegroups", hasSize(2))
                .body("nodegroups.name", equalTo(List.of("default-master", "default-worker")))
                .body("nodegroups.role", equalTo(List.of("master", "worker")))
                .body("nodegroups.node_count", equalTo(List.of(1, 1)))
                .body("nodegroups.is_default", equalTo(List.of(true, true)));
        api().get(groups + "/default-worker").then().statusCode(200).body("cluster_id", equalTo(uuid))
                .body("node_addresses", equalTo(created.getList("node_addresses"))).body("stack_id", equalTo(created.getString("stack_id")))
                .body("status", equalTo("CREATE_COMPLETE"));

        refusals(groups, uuid);

        // a second worker group: its own flavor, two nodes, bounds 1..3
        String ng = api().body(Map.of("name", "big", "node_count", 2, "min_node_count", 1, "max_node_count", 3,
                "flavor_id", "m1.medium", "image_id", "ubuntu-24.04", "node_labels", Map.of("disk", "ssd"),
                "node_taints", List.of("dedicated=big:NoSchedule")))
                .post(groups + "/").then().statusCode(202).body("name", equalTo("big")).body("status", equalTo("CREATE_IN_PROGRESS"))
                .body("is_default", equalTo(false)).body("node_taints", equalTo(List.of("dedicated=big:NoSchedule")))
                .body("node_labels", equalTo(Map.of("disk", "ssd")))
                .extract().path("uuid");
        api().get("/v1/clusters/" + uuid).then().body("status", equalTo("UPDATE_IN_PROGRESS")).body("node_count", equalTo(3));
        api().body(Map.of("name", "big2")).post(groups).then().statusCode(400)
                .body("errors[0].detail", containsString("UPDATE_IN_PROGRESS"));
        JsonPath grown = Api.awaitFinal(uuid);
        assertThat(grown.getString("status")).as(grown.prettify()).isEqualTo("UPDATE_COMPLETE");
        JsonPath big = api().get(groups + "/" + ng).then().statusCode(200).extract().jsonPath();
        assertThat(big.getString("status")).as(big.prettify()).isEqualTo("CREATE_COMPLETE");
        assertThat(big.getList("node_addresses")).hasSize(2);
        assertThat(CloudInventory.of(demo, stackName).servers()).containsOnlyKeys(stackName + "-master", stackName + "-minion-0",
                stackName + "-big-0", stackName + "-big-1");
        // m1.medium is flavor 3, m1.small (the cluster's) 2: scripts/os/seed.py
        assertThat(flavorsOf(demo, stackName + "-big-")).containsOnly("3");
        assertThat(flavorsOf(demo, stackName + "-minion-")).containsOnly("2");
        // its node labels and taints reach its servers' bootstrap (kubeadm's nodeRegistration: NodeRegistrationTest)
        String bigSettings = checkedSettings(CloudInventory.of(demo, stackName).serverIds().get(stackName + "-big-1"));
        assertThat(bigSettings).contains("NODE_LABELS=magnum.openstack.org/role=worker,magnum.openstack.org/nodegroup=big,disk=ssd\n",
                "NODE_TAINTS=dedicated=big:NoSchedule\n");
        JsonNode group = groupResource(demo, stackName, grown.getString("stack_id"));
        assertThat(group.path("resource_type").asText()).isEqualTo("OS::Heat::ResourceGroup");

        // scale the extra group down by a server's name, within its bounds
        String resize = "/v1/clusters/" + uuid + "/actions/resize";
        api().body(Map.of("node_count", 4, "nodegroup", "big")).post(resize).then().statusCode(400)
                .body("errors[0].detail", containsString("max_node_count 3"));
        api().body(Map.of("node_count", 1, "nodegroup", "default-master")).post(resize).then().statusCode(400)
                .body("errors[0].detail", containsString("master"));
        api().body(Map.of("node_count", 1, "nodegroup", "big", "nodes_to_remove", List.of(stackName + "-big-0"))).post(resize)
                .then().statusCode(202).body("uuid", equalTo(uuid));
        JsonPath shrunk = Api.awaitFinal(uuid);
        assertThat(shrunk.getString("status")).as(shrunk.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(shrunk.getInt("node_count")).isEqualTo(2);
        api().get(groups + "/big").then().body("node_count", equalTo(1)).body("status", equalTo("UPDATE_COMPLETE"))
                .body("node_addresses", hasSize(1));
        assertThat(CloudInventory.of(demo, stackName).servers()).containsOnlyKeys(stackName + "-master", stackName + "-minion-0",
                stackName + "-big-1");

        // the bounds change by a PATCH, with no stack update
        api().body(List.of(Map.of("op", "replace", "path", "/max_node_count", "value", 5))).patch(groups + "/big")
                .then().statusCode(202).body("max_node_count", equalTo(5)).body("min_node_count", equalTo(1));
        api().get("/v1/clusters/" + uuid).then().body("status", equalTo("UPDATE_COMPLETE"));

        // a node group is upgraded to its cluster's template only: the cluster first
        String upgrade = "/v1/clusters/" + uuid + "/actions/upgrade";
        String from = created.getString("baymodel_id");
        upgradeRefusals(upgrade, from, upgradeTo);
        api().body(Map.of("cluster_template", upgradeTo, "nodegroup", "big")).post(upgrade)
                .then().statusCode(400).body("errors[0].detail", containsString("can be upgraded only to its cluster's template"));
        // an upgrade of the cluster moves every group with no image of its own to the new template's image
        api().body(Map.of("cluster_template", upgradeTo, "max_batch_size", 2)).post(upgrade).then().statusCode(202)
                .body("uuid", equalTo(uuid));
        api().get("/v1/clusters/" + uuid).then().statusCode(200).body("status", equalTo("UPDATE_IN_PROGRESS"))
                .body("cluster_template_id", equalTo(upgradeTo));
        // while it is going, a second one is refused
        api().body(Map.of("cluster_template", from)).post(upgrade).then().statusCode(400)
                .body("errors[0].detail", containsString("UPDATE_IN_PROGRESS"));
        JsonPath upgraded = Api.awaitFinal(uuid);
        assertThat(upgraded.getString("status")).as(upgraded.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(upgraded.getInt("node_count")).isEqualTo(2);
        String image = imageId(demo, "debian-13");
        assertThat(imagesOf(demo, stackName + "-")).containsOnly(Map.entry(stackName + "-master", image),
                Map.entry(stackName + "-minion-0", image), Map.entry(stackName + "-big-1", imageId(demo, "ubuntu-24.04")));
        // the stack has the new template's values, and the rebuilt servers its kube_tag
        JsonNode parameters = LocalCloud.stackDetail(demo, stackName, upgraded.getString("stack_id")).path("parameters");
        assertThat(parameters.path("server_image").asText()).isEqualTo("debian-13");
        assertThat(parameters.path("kube_tag").asText()).isEqualTo("v1.28.1");
        for (JsonNode server : CloudInventory.get(demo, CloudInventory.NOVA + "/servers/detail?name=%5E" + stackName + "-")
                .path("servers")) {
            if (server.path("name").asText().startsWith(stackName + "-big-")) {
                continue; // its own image: not rebuilt by the cluster's upgrade
            }
            assertThat(server.path("metadata").path("kube_tag").asText()).as(server.path("name").asText()).isEqualTo("v1.28.1");
            assertThat(server.path("status").asText()).isEqualTo("ACTIVE");
        }
        // then the group made with an image of its own takes the cluster's template's, its servers rebuilt on it
        api().body(Map.of("cluster_template", upgradeTo, "nodegroup", "default-worker")).post(upgrade)
                .then().statusCode(400).body("errors[0].detail", containsString("is the cluster's own"));
        api().body(Map.of("cluster_template", upgradeTo, "nodegroup", "big", "max_batch_size", 1)).post(upgrade)
                .then().statusCode(202).body("uuid", equalTo(uuid));
        api().get(groups + "/big").then().body("status", equalTo("UPDATE_IN_PROGRESS"));
        JsonPath groupUpgraded = Api.awaitFinal(uuid);
        assertThat(groupUpgraded.getString("status")).as(groupUpgraded.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(imagesOf(demo, stackName + "-")).containsOnly(Map.entry(stackName + "-master", image),
                Map.entry(stackName + "-minion-0", image), Map.entry(stackName + "-big-1", image));
        api().get(groups + "/big").then().body("image_id", equalTo(null)).body("status", equalTo("UPDATE_COMPLETE"));
        api().body(Map.of("cluster_template", upgradeTo, "nodegroup", "big")).post(upgrade)
                .then().statusCode(400).body("errors[0].detail", containsString("nothing to upgrade"));

        // deleting the extra group removes its servers; the row goes once the stack update is done
        api().delete(groups + "/big").then().statusCode(204);
        api().get(groups + "/big").then().statusCode(200).body("status", equalTo("DELETE_IN_PROGRESS"));
        JsonPath removed = Api.awaitFinal(uuid);
        assertThat(removed.getString("status")).as(removed.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(removed.getInt("node_count")).isEqualTo(1);
        api().get(groups + "/big").then().statusCode(404).body("errors[0].detail", equalTo("Nodegroup big could not be found."));
        api().get(groups).then().body("nodegroups", hasSize(2));
        assertThat(CloudInventory.of(demo, stackName).servers()).containsOnlyKeys(stackName + "-master", stackName + "-minion-0");
        assertThat(LocalCloud.resources(demo, stackName, removed.getString("stack_id")).stream()
                .filter(r -> r.path("resource_name").asText().startsWith("kube_minions_"))).isEmpty();

        Api.asDemo().delete("/v1/clusters/" + uuid).then().statusCode(204);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(3)).pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> Api.demoGetStatus("/v1/clusters/" + uuid) == 404);
        assertThat(CloudInventory.of(demo, stackName).empty()).isTrue();
    }

    /** What the node-group API refuses, in Magnum's body, before anything is stored or sent to Heat. */
    private static String checkedSettings(String serverId) {
        try {
            return BayCreateEndToEndTest.checked(BayCreateEndToEndTest.userData(serverId));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void refusals(String groups, String uuid) {
        Api.asDemo().header("OpenStack-API-Version", "container-infra 1.8").get(groups).then().statusCode(404);
        api().get(groups + "/nope").then().statusCode(404).body("errors[0].detail", equalTo("Nodegroup nope could not be found."));
        api().get("/v1/clusters/no-such-cluster/nodegroups").then().statusCode(404);
        // another project's cluster is not there for it
        Api.as(LocalCloud.ALT).header("OpenStack-API-Version", LATEST).get(groups).then().statusCode(404);
        api().delete(groups + "/nope").then().statusCode(404).body("errors[0].detail", equalTo("Nodegroup nope could not be found."));
        api().body(List.of(Map.of("op", "replace", "path", "/max_node_count", "value", 5))).patch(groups + "/nope")
                .then().statusCode(404);
        api().body(Map.of("name", "b", "node_count", 1)).post("/v1/clusters/no-such-cluster/nodegroups").then().statusCode(404);
        api().delete(groups + "/default-worker").then().statusCode(400).body("errors[0].detail", containsString("default node group"));
        api().body(Map.of("name", "m", "role", "master")).post(groups).then().statusCode(400)
                .body("errors[0].detail", containsString("master node groups"));
        api().body(Map.of("name", "default-worker")).post(groups).then().statusCode(409)
                .body("errors[0].detail", containsString("already exists"));
        api().body(Map.of("name", "b", "node_count", 2, "min_node_count", 3)).post(groups).then().statusCode(400)
                .body("errors[0].detail", containsString("min_node_count 3"));
        api().body(Map.of("name", "b", "max_node_count", 1, "min_node_count", 2)).post(groups).then().statusCode(400)
                .body("errors[0].detail", containsString("less than min_node_count"));
        api().body(Map.of("name", "b", "node_taints", List.of("nocolon"))).post(groups).then().statusCode(400)
                .body("errors[0].detail", containsString("is not a taint"));
        api().body(Map.of("name", "b", "flavor_id", "m1.nope")).post(groups).then().statusCode(400)
                .body("errors[0].detail", containsString("m1.nope"));
        api().body(Map.of("name", "b", "colour", "red")).post(groups).then().statusCode(400)
                .body("errors[0].detail", containsString("colour"));
        api().body(List.of(Map.of("op", "replace", "path", "/node_count", "value", 5))).patch(groups + "/default-worker")
                .then().statusCode(400).body("errors[0].detail", containsString("only min_node_count and max_node_count"));
        api().get(groups).then().body("nodegroups", hasSize(2));
        api().get("/v1/clusters/" + uuid).then().body("status", equalTo("CREATE_COMPLETE"));
    }

    /** What Magnum refuses of a cluster upgrade, in its body, with nothing sent to Heat. */
    private static void upgradeRefusals(String upgrade, String from, String to) {
        Map<String, Object> otherNet = BayScaleAndDeleteEndToEndTest.labelled(Api.unique("up-calico"), "debian-13", "v1.28.1");
        otherNet.put("network_driver", "calico");
        String calico = Api.asDemo().body(otherNet).post("/v1/clustertemplates").then().statusCode(201).extract().path("uuid");
        Api.asDemo().header("OpenStack-API-Version", "container-infra 1.7").body(Map.of("cluster_template", to)).post(upgrade)
                .then().statusCode(404);
        api().body(Map.of("cluster_template", calico)).post(upgrade).then().statusCode(400)
                .body("errors[0].detail", containsString("cannot change its network driver"));
        api().body(Map.of("cluster_template", from)).post(upgrade).then().statusCode(400)
                .body("errors[0].detail", containsString("nothing to upgrade to"));
        // the cluster runs v1.27.3: kubeadm cannot skip v1.28 nor go back
        for (String tag : List.of("v1.29.0", "v1.27.2")) {
            String template = Api.asDemo().body(BayScaleAndDeleteEndToEndTest.labelled(Api.unique("up-kube"), "debian-13", tag))
                    .post("/v1/clustertemplates").then().statusCode(201).extract().path("uuid");
            api().body(Map.of("cluster_template", template)).post(upgrade).then().statusCode(400)
                    .body("errors[0].detail", containsString("runs Kubernetes v1.27.3 and cannot go to " + tag));
        }
        api().body(Map.of("cluster_template", "no-such-template")).post(upgrade).then().statusCode(400)
                .body("errors[0].detail", equalTo("ClusterTemplate no-such-template could not be found."));
        api().body(Map.of("cluster_template", to, "max_batch_size", 0)).post(upgrade).then().statusCode(400)
                .body("errors[0].detail", containsString("max_batch_size"));
        api().body(Map.of("cluster_template", to, "nodegroup", "default-worker")).post(upgrade).then().statusCode(400)
                .body("errors[0].detail", containsString("can be upgraded only to its cluster's template"));
    }

    private static String imageId(LocalCloud.Token token, String name) {
        return CloudInventory.get(token, "http://127.0.0.1:9292/v2/images?name=" + name).path("images").get(0).path("id").asText();
    }

    /** The image of each server whose name starts with {@code prefix}, by server name. */
    private static Map<String, String> imagesOf(LocalCloud.Token token, String prefix) {
        Map<String, String> images = new java.util.TreeMap<>();
        for (JsonNode s : CloudInventory.get(token, CloudInventory.NOVA + "/servers/detail?name=%5E" + prefix).path("servers")) {
            images.put(s.path("name").asText(), s.path("image").path("id").asText());
        }
        return images;
    }

    private static List<String> flavorsOf(LocalCloud.Token token, String prefix) {
        List<String> flavors = new java.util.ArrayList<>();
        for (JsonNode s : CloudInventory.get(token, CloudInventory.NOVA + "/servers/detail?name=%5E" + prefix).path("servers")) {
            flavors.add(s.path("flavor").path("id").asText());
        }
        return flavors;
    }

    private static JsonNode groupResource(LocalCloud.Token token, String stackName, String stackId) {
        return LocalCloud.resources(token, stackName, stackId).stream()
                .filter(r -> r.path("resource_name").asText().startsWith("kube_minions_")).findFirst()
                .orElseThrow(() -> new AssertionError("no extra worker group in stack " + stackName));
    }
}
