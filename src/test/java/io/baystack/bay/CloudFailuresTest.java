package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;

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
        JsonPath[] last = new JsonPath[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(4))
                .pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
                    last[0] = Api.as(user).get("/v1/bays/" + uuid).then().statusCode(200).extract().jsonPath();
                    return !last[0].getString("status").endsWith("_IN_PROGRESS");
                });
        return last[0];
    }

    @Test
    void anExternalNetworkWithoutASubnetFailsTheFloatingIpsWithNeutronsMessage() {
        JsonPath bay = bayOf(LocalCloud.DEMO, "fedora-atomic", "public-nosubnet");
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_FAILED");
        String neutron = "Bad floatingip request: Network ";
        assertThat(bay.getString("status_reason")).contains(neutron).contains("does not contain any IPv4 subnet.");
        Map<String, String> faults = bay.getMap("faults");
        assertThat(faults.get("kube_master_floating")).contains(neutron).contains("does not contain any IPv4 subnet.");
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
        assertThat(bay.getMap("faults").values()).anySatisfy(f -> assertThat((String) f).contains("Quota exceeded for instances"));
    }

    @Test
    void neutronsQuotaRefusalReachesTheBay() {
        JsonPath bay = withAltQuota(CloudInventory.NEUTRON + "/quotas/", "{\"quota\": {\"router\": 0}}", 204);
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_FAILED");
        assertThat(bay.getString("status_reason")).contains("Quota exceeded for resources: ['router']");
        assertThat(bay.getMap("faults").get("extrouter")).asString().contains("Quota exceeded for resources: ['router']");
    }

    /**
     * A bay of alt_demo built while one of its quotas is lowered ({@code body} PUT to {@code quotas} + the
     * project, as the cloud's admin), the quota then reset to the defaults (DELETE answers {@code resetStatus}).
     */
    private static JsonPath withAltQuota(String quotas, String body, int resetStatus) {
        String quota = quotas + LocalCloud.token(LocalCloud.ALT).projectId();
        LocalCloud.Token admin = LocalCloud.token(LocalCloud.ADMIN);
        assertThat(CloudInventory.send(admin, "PUT", quota, body)).isEqualTo(200);
        try {
            return bayOf(LocalCloud.ALT, "fedora-atomic", "public");
        } finally {
            assertThat(CloudInventory.send(admin, "DELETE", quota, null)).isEqualTo(resetStatus);
        }
    }
}
