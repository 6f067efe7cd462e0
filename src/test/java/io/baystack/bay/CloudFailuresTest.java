package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.CloudInventory;
import io.baystack.support.LocalCloud;
import io.baystack.support.RealCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * What the real Nova, Neutron and Heat refuse reaches the user: the bay ends CREATE_FAILED with the
 * service's own words in status_reason, and in faults for each resource that failed. The quota tests
 * lower one quota of the alt_demo project (as the cloud's admin) for their bay only.
 */
@QuarkusTest
@TestProfile(RealCloud.class)
@io.baystack.support.RealCloudTier
class CloudFailuresTest {

    private static Map<String, Object> model(String name, String image, String externalNetwork) {
        Map<String, Object> body = new HashMap<>(Api.baymodel(name, image));
        body.put("external_network_id", externalNetwork);
        return body;
    }

    /** Creates a model and a one-minion bay as {@code user} and waits for its end. */
    private static JsonPath bayOf(LocalCloud.User user, String image, String externalNetwork) {
        String model = Api.as(user).body(model(Api.unique("fail"), image, externalNetwork)).post("/v1/baymodels")
                .then().statusCode(201).extract().path("uuid");
        String uuid = Api.as(user).header("OpenStack-API-Version", "container-infra latest")
                .body(Map.of("name", Api.unique("fail"), "node_count", 1, "baymodel_id", model))
                .post("/v1/bays").then().statusCode(202).extract().path("uuid");
        return awaitFinal(user, uuid);
    }

    private static JsonPath awaitFinal(LocalCloud.User user, String uuid) {
        return Api.awaitBay(user, uuid, java.time.Duration.ofMinutes(4), status -> !status.endsWith("_IN_PROGRESS"));
    }

    @Test
    void anExternalNetworkWithoutASubnetFailsTheFloatingIpsWithNeutronsMessage() {
        JsonPath bay = bayOf(LocalCloud.DEMO, "debian-12", "public-nosubnet");
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_FAILED");
        String neutron = "Bad floatingip request: Network ";
        assertThat(bay.getString("status_reason")).contains(neutron).contains("does not contain any IPv4 subnet.");
        // a bay says bay_faults, as Zed's Bay does; the same bay as a cluster says faults
        Map<String, String> faults = bay.getMap("bay_faults");
        assertThat(faults.get("kube_master_floating")).contains(neutron).contains("does not contain any IPv4 subnet.");
        assertThat(bay.getMap("faults")).isNull();
        assertThat(Api.asDemo().get("/v1/clusters/" + bay.getString("uuid")).then().statusCode(200).extract().jsonPath()
                .getMap("faults")).isEqualTo(faults);
        assertThat(bay.getString("stack_id")).isNotNull();
    }

    @Test
    void anImageLargerThanTheFlavorIsRefusedByHeatsCheckAndNoStackIsMade() {
        // Heat checks the image's min_disk against each flavor before it creates anything (Nova would refuse the
        // same server: "Flavor's disk is smaller than the minimum size specified in image metadata")
        JsonPath bay = bayOf(LocalCloud.DEMO, "too-big-image", "public");
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_FAILED");
        assertThat(bay.getString("status_reason")).contains("Image too-big-image requires 100 GB minimum disk space. Flavor m1.");
        assertThat(bay.getString("stack_id")).isNull();
    }

    @Test
    void novasQuotaRefusalReachesTheBay() {
        JsonPath bay = withAltQuota(CloudInventory.NOVA + "/os-quota-sets/", "{\"quota_set\": {\"instances\": 0}}", 202);
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_FAILED");
        assertThat(bay.getString("status_reason")).contains("Quota exceeded for instances");
        assertThat(bay.getMap("bay_faults").values()).anySatisfy(f -> assertThat((String) f).contains("Quota exceeded for instances"));
    }

    @Test
    void neutronsQuotaRefusalReachesTheBay() {
        JsonPath bay = withAltQuota(CloudInventory.NEUTRON + "/quotas/", "{\"quota\": {\"router\": 0}}", 204);
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_FAILED");
        assertThat(bay.getString("status_reason")).contains("Quota exceeded for resources: ['router']");
        assertThat(bay.getMap("bay_faults").get("extrouter")).asString().contains("Quota exceeded for resources: ['router']");
    }

    @Test
    void aScaleNovaRefusesIsRolledBackWhenAskedElseEndsUpdateFailedAndTheResizeActionRecoversIt() {
        LocalCloud.Token admin = LocalCloud.token(LocalCloud.ADMIN);
        String quota = CloudInventory.NOVA + "/os-quota-sets/" + LocalCloud.token(LocalCloud.ALT).projectId();
        JsonPath bay = bayOf(LocalCloud.ALT, "debian-12", "public");
        String uuid = bay.getString("uuid");
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_COMPLETE");
        String resize = "/v1/clusters/" + uuid + "/actions/resize";
        try {
            // room for the two servers it has, not a third
            assertThat(CloudInventory.send(admin, "PUT", quota, "{\"quota_set\": {\"instances\": 2}}")).isEqualTo(200);
            // asked with rollback (1.3+): Heat rolls the failed scale back, and the bay says what it holds again
            Api.as(LocalCloud.ALT).header("OpenStack-API-Version", "container-infra latest")
                    .body(java.util.List.of(Map.of("op", "replace", "path", "/node_count", "value", 2)))
                    .patch("/v1/clusters/" + uuid + "?rollback=True").then().statusCode(202);
            JsonPath rolledBack = awaitFinal(LocalCloud.ALT, uuid);
            assertThat(rolledBack.getString("status")).as(rolledBack.prettify()).isEqualTo("ROLLBACK_COMPLETE");
            assertThat(rolledBack.getInt("node_count")).isEqualTo(1);
            assertThat(rolledBack.getList("node_addresses")).hasSize(1);
            assertThat(CloudInventory.of(LocalCloud.token(LocalCloud.ALT), Bay.stackNameFor(rolledBack.getString("name"), uuid))
                    .servers()).hasSize(2);
            Api.as(LocalCloud.ALT).header("OpenStack-API-Version", "container-infra latest")
                    .body(java.util.List.of(Map.of("op", "replace", "path", "/node_count", "value", 2)))
                    .patch("/v1/clusters/" + uuid + "?rollback=perhaps").then().statusCode(400)
                    .body("errors[0].detail", equalTo("Invalid input for query parameter rollback. Value: 'perhaps'. Wrong type. Expected 'bool'."));
            // without: the scale fails and stays failed
            Api.as(LocalCloud.ALT).header("OpenStack-API-Version", "container-infra latest").body(Map.of("node_count", 2))
                    .post(resize).then().statusCode(202);
            JsonPath failed = awaitFinal(LocalCloud.ALT, uuid);
            assertThat(failed.getString("status")).as(failed.prettify()).isEqualTo("UPDATE_FAILED");
            assertThat(failed.getString("status_reason")).contains("Quota exceeded for instances");
            // a PATCH stays refused from UPDATE_FAILED, as in Magnum; the resize action is the way back
            Api.as(LocalCloud.ALT).body(java.util.List.of(Map.of("op", "replace", "path", "/node_count", "value", 2)))
                    .patch("/v1/clusters/" + uuid).then().statusCode(400)
                    .body("errors[0].detail", org.hamcrest.Matchers.containsString("UPDATE_FAILED"));
            assertThat(CloudInventory.send(admin, "DELETE", quota, null)).isEqualTo(202);
            // the same node_count again: the retry that recovers the failed scale
            Api.as(LocalCloud.ALT).header("OpenStack-API-Version", "container-infra latest").body(Map.of("node_count", 2))
                    .post(resize).then().statusCode(202);
            JsonPath recovered = awaitFinal(LocalCloud.ALT, uuid);
            assertThat(recovered.getString("status")).as(recovered.prettify()).isEqualTo("UPDATE_COMPLETE");
            assertThat(recovered.getList("node_addresses")).hasSize(2);
            assertThat(CloudInventory.of(LocalCloud.token(LocalCloud.ALT), Bay.stackNameFor(recovered.getString("name"), uuid))
                    .servers()).hasSize(3);
        } finally {
            CloudInventory.send(admin, "DELETE", quota, null);
            Api.as(LocalCloud.ALT).delete("/v1/clusters/" + uuid);
        }
    }

    /**
     * A bay of alt_demo built while one of its quotas is lowered ({@code body} PUT to {@code quotas} + the
     * project, as the cloud's admin), the quota then reset to the defaults (DELETE answers {@code resetStatus}).
     */
    private static JsonPath withAltQuota(String quotas, String body, int resetStatus) {
        String quota = quotas + LocalCloud.token(LocalCloud.ALT).projectId();
        LocalCloud.Token admin = LocalCloud.token(LocalCloud.ADMIN);
        // Nova takes no limit under what the project uses: the servers of another test's alt_demo bay, being
        // deleted as it ended, must be gone first
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(4)).pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> CloudInventory.get(LocalCloud.token(LocalCloud.ALT), CloudInventory.NOVA + "/servers").path("servers").isEmpty());
        assertThat(CloudInventory.send(admin, "PUT", quota, body)).isEqualTo(200);
        try {
            return bayOf(LocalCloud.ALT, "debian-12", "public");
        } finally {
            assertThat(CloudInventory.send(admin, "DELETE", quota, null)).isEqualTo(resetStatus);
        }
    }
}
