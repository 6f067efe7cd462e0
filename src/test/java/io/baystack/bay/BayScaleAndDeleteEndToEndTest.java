package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.baystack.support.Api;
import io.baystack.support.BayBatch;
import io.baystack.support.CloudInventory;
import io.baystack.support.RealCloud;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.baystack.support.SideBySide;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** node_count changes and deletes, through the API, carried out by the real local Heat. */
@QuarkusTest
@TestProfile(RealCloud.class)
@io.baystack.support.RealCloudTier
class BayScaleAndDeleteEndToEndTest {

    private static final Duration HEAT_WAIT = Duration.ofMinutes(4);

    @Inject
    Rows rows;

    /** The bays below, asked for together (see BayBatch). */
    private static final BayBatch BAYS = new BayBatch(batch -> {
        String model = Api.createBaymodel(Api.unique("scale"), "debian-12");
        batch.create("scale", model, 1);
        batch.create("rm", model, 4);
        batch.create("del", model, 1);
        batch.create("ng", Api.asDemo().body(labelled(Api.unique("ng-a"), "debian-12", "v1.27.3")).post("/v1/clustertemplates")
                .then().statusCode(201).extract().path("uuid"), 1);
        // fails half built: Neutron refuses floating IPs on an external network without a subnet
        Map<String, Object> noSubnet = new java.util.HashMap<>(Api.baymodel(Api.unique("delfail"), "debian-12"));
        noSubnet.put("external_network_id", "public-nosubnet");
        batch.create("delfail", Api.asDemo().body(noSubnet).post("/v1/baymodels").then().statusCode(201)
                .extract().path("uuid"), 1);
    });

    /**
     * Each test's flow on its own bay, all four started at once so that their waits on Heat overlap
     * (JUnit cannot run {@code @QuarkusTest} methods in parallel); each dynamic test waits for its own
     * flow and fails with what failed in it. A test factory, not four tests: the test's RestAssured
     * state (baystack's port) holds until all its dynamic tests are done.
     */
    @TestFactory
    Stream<DynamicTest> scaleResizeAndDeleteSideBySide() {
        return new SideBySide()
                .flow("scaling from one to three and back moves the stack's minions", this::scale)
                .flow("resize removes the minions named", this::resize)
                .flow("delete removes the stack, then the bay", this::delete)
                .flow("a failed bay can be deleted", this::deleteFailed)
                // with the upgrade's refusals, and its rebuilds checked in Nova (image, kube_tag) and in the stack
                .flow("a cluster with two worker groups builds, scales one, upgrades and deletes", () -> NodeGroupFlow.run(
                        BAYS.get("ng").name(), BAYS.get("ng").uuid(), Api.asDemo().body(labelled(Api.unique("ng-b"),
                                "debian-13", "v1.28.1")).post("/v1/clustertemplates").then().statusCode(201)
                                .extract().path("uuid")))
                .start(Duration.ofMinutes(15));
    }

    private void scale() {
        String name = BAYS.get("scale").name();
        String uuid = BAYS.get("scale").uuid();
        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_COMPLETE");
        assertStack(uuid, name, 1);

        // 1.1: 200 with the bay, already UPDATE_IN_PROGRESS
        Api.asDemo().body(List.of(Map.of("op", "replace", "path", "/node_count", "value", 3)))
                .patch("/v1/bays/" + uuid).then().statusCode(200)
                .body("node_count", equalTo(3)).body("status", equalTo("UPDATE_IN_PROGRESS"));
        JsonPath up = Api.awaitFinal(uuid);
        assertThat(up.getString("status")).as(up.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(up.getList("node_addresses")).hasSize(3);
        assertStack(uuid, name, 3);

        // latest: 202 with the uuid; node_count as a string, as the seed sends it
        Api.asDemo().header("OpenStack-API-Version", "container-infra latest")
                .body(List.of(Map.of("op", "replace", "path", "/node_count", "value", "1")))
                .patch("/v1/bays/" + name).then().statusCode(202)
                .body("$", aMapWithSize(1)).body("uuid", equalTo(uuid));
        JsonPath down = Api.awaitFinal(uuid);
        assertThat(down.getString("status")).as(down.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(down.getInt("node_count")).isEqualTo(1);
        assertThat(down.getList("node_addresses")).hasSize(1);
        assertStack(uuid, name, 1);
        // Heat's group removed the newest minions: minion-0 is the one left, in Nova as in the stack
        assertThat(CloudInventory.of(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid)).servers().keySet())
                .containsExactly(Bay.stackNameFor(name, uuid) + "-master", Bay.stackNameFor(name, uuid) + "-minion-0");
    }

    private void resize() {
        String name = BAYS.get("rm").name();
        String uuid = BAYS.get("rm").uuid();
        String stackName = Bay.stackNameFor(name, uuid);
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        JsonPath before = Api.awaitFinal(uuid);
        assertThat(before.getString("status")).isEqualTo("CREATE_COMPLETE");
        List<String> nodes = before.getList("node_addresses", String.class);
        assertThat(nodes).hasSize(4);
        String resize = "/v1/clusters/" + uuid + "/actions/resize";
        var latest = "container-infra latest";
        String minion1FloatingIp = CloudInventory.of(demo, stackName).floatingIpIds().get(nodes.get(1));
        assertThat(minion1FloatingIp).as("the floating IP of %s", nodes.get(1)).isNotNull();

        Api.asDemo().header("OpenStack-API-Version", latest)
                .body(Map.of("node_count", 3, "nodes_to_remove", List.of("203.0.113.9"))).post(resize)
                .then().statusCode(400).body("errors[0].detail", org.hamcrest.Matchers.containsString("is not a minion"));
        Api.asDemo().header("OpenStack-API-Version", latest)
                .body(Map.of("node_count", 3, "nodes_to_remove", List.of(nodes.get(0), nodes.get(1)))).post(resize)
                .then().statusCode(400).body("errors[0].detail", org.hamcrest.Matchers.containsString("removes 1"));

        // by address: minion-1 goes, with its server and floating IP
        Api.asDemo().header("OpenStack-API-Version", latest)
                .body(Map.of("node_count", 3, "nodes_to_remove", List.of(nodes.get(1)))).post(resize)
                .then().statusCode(202).body("uuid", equalTo(uuid));
        JsonPath after = Api.awaitFinal(uuid);
        assertThat(after.getString("status")).as(after.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(after.getList("node_addresses", String.class)).containsExactlyInAnyOrder(nodes.get(0), nodes.get(2), nodes.get(3));
        assertStack(uuid, name, 3);
        assertThat(CloudInventory.of(demo, stackName).servers().keySet())
                .containsExactly(stackName + "-master", stackName + "-minion-0", stackName + "-minion-2", stackName + "-minion-3");
        assertThat(CloudInventory.floatingIpExists(demo, minion1FloatingIp)).isFalse();

        // by the Nova server's name: minion-0
        Api.asDemo().header("OpenStack-API-Version", latest)
                .body(Map.of("node_count", 2, "nodes_to_remove", List.of(stackName + "-minion-0"))).post(resize)
                .then().statusCode(202);
        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("UPDATE_COMPLETE");
        assertThat(CloudInventory.of(demo, stackName).servers().keySet())
                .containsExactly(stackName + "-master", stackName + "-minion-2", stackName + "-minion-3");

        // by the Nova server's uuid, as the cluster autoscaler names a node: minion-2
        String server = CloudInventory.of(demo, stackName).serverIds().get(stackName + "-minion-2");
        Api.asDemo().header("OpenStack-API-Version", latest)
                .body(Map.of("node_count", 1, "nodes_to_remove", List.of(server))).post(resize)
                .then().statusCode(202);
        JsonPath last = Api.awaitFinal(uuid);
        assertThat(last.getString("status")).as(last.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(last.getList("node_addresses", String.class)).containsExactly(nodes.get(3));
        assertStack(uuid, name, 1);
        assertThat(CloudInventory.of(demo, stackName).servers().keySet())
                .containsExactly(stackName + "-master", stackName + "-minion-3");
    }

    private void delete() {
        String name = BAYS.get("del").name();
        String uuid = BAYS.get("del").uuid();
        JsonPath bay = Api.awaitFinal(uuid);
        String stackId = bay.getString("stack_id");
        String trustId = (String) rows.byUuid("bay", uuid).get("trust_id");
        CloudInventory before = CloudInventory.of(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid));
        assertThat(before.servers()).hasSize(2);
        assertThat(before.floatingIps()).hasSize(2);

        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).body("status", equalTo("DELETE_IN_PROGRESS"));
        // asking again while it is going changes nothing
        Api.asDemo().delete("/v1/bays/" + name).then().statusCode(204);

        Awaitility.await().atMost(HEAT_WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Api.demoGetStatus("/v1/bays/" + uuid) == 404);
        assertThat(rows.byUuid("bay", uuid)).isNull();
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        assertThat(LocalCloud.stacksNamed(demo, Bay.stackNameFor(name, uuid))).isEmpty();
        assertThat(LocalCloud.stackGone(demo, stackId)).isTrue();
        // the trust goes just after the row
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !LocalCloud.trustExists(trustId));
        // nothing of the bay is left in Nova, Neutron or Cinder
        CloudInventory after = CloudInventory.of(demo, Bay.stackNameFor(name, uuid));
        assertThat(after.empty()).as(after.toString()).isTrue();
        assertThat(before.floatingIpIds().values()).noneMatch(id -> CloudInventory.floatingIpExists(demo, id));
    }

    static Map<String, Object> labelled(String name, String image, String kubeTag) {
        Map<String, Object> body = new java.util.HashMap<>(Api.baymodel(name, image));
        body.put("labels", Map.of("kube_tag", kubeTag));
        return body;
    }

    private void deleteFailed() {
        String name = BAYS.get("delfail").name();
        String uuid = BAYS.get("delfail").uuid();
        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_FAILED");
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        // half built: its network, router and servers exist, its floating IPs do not
        assertThat(CloudInventory.of(demo, Bay.stackNameFor(name, uuid)).networks()).isEqualTo(1);
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        Awaitility.await().atMost(HEAT_WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Api.demoGetStatus("/v1/bays/" + uuid) == 404);
        CloudInventory after = CloudInventory.of(demo, Bay.stackNameFor(name, uuid));
        assertThat(after.empty()).as(after.toString()).isTrue();
    }

    private static void assertStack(String uuid, String name, int minions) {
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        String stackId = Api.asDemo().get("/v1/bays/" + uuid).then().extract().path("stack_id");
        List<JsonNode> resources = LocalCloud.resources(demo, Bay.stackNameFor(name, uuid), stackId);
        assertThat(LocalCloud.count(resources, "OS::Nova::Server")).isEqualTo(1 + minions);
        assertThat(LocalCloud.count(resources, "OS::Cinder::Volume")).isEqualTo(1 + minions);
        // the cloud holds exactly that many: servers, their ports and floating IPs, each with its volume attached
        CloudInventory cloud = CloudInventory.of(demo, Bay.stackNameFor(name, uuid));
        assertThat(cloud.servers()).hasSize(1 + minions).allSatisfy((n, status) -> assertThat(status).isEqualTo("ACTIVE"));
        assertThat(cloud.portsByOwner()).containsEntry("compute", 1 + minions);
        assertThat(cloud.floatingIps()).hasSize(1 + minions);
        assertThat(cloud.attachedTo()).containsExactlyElementsOf(cloud.servers().keySet());
        assertThat(LocalCloud.stackDetail(demo, Bay.stackNameFor(name, uuid), stackId).path("parameters").path("number_of_minions").asText())
                .isEqualTo(String.valueOf(minions));
    }

}
