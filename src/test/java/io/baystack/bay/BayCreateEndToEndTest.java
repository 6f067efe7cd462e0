package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.baystack.support.Api;
import io.baystack.support.BayBatch;
import io.baystack.support.CloudInventory;
import io.baystack.support.RealCloud;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The seed's flow through the real local Keystone and Heat: accepted, handed to the Heat function,
 * a real stack built from kubecluster.yaml of real Nova, Neutron and Cinder resources, status mirrored by the
 * reconciler. Nothing here is stubbed.
 */
@QuarkusTest
@TestProfile(RealCloud.class)
@io.baystack.support.RealCloudTier
class BayCreateEndToEndTest {

    @jakarta.inject.Inject
    io.baystack.support.Rows rows;

    /** Every bay below but the one whose stack is deleted mid-build, asked for together. */
    private static final BayBatch BAYS = new BayBatch(batch -> {
        String model = Api.createBaymodel(Api.unique("e2e"), "debian-12");
        batch.create("e2e-1", model, 1);
        batch.create("e2e-3", model, 3);
        // Magnum does not check fixed_network; the template's net_cidr constraint makes the real Heat answer 400
        Map<String, Object> badCidr = new java.util.HashMap<>(Api.baymodel(Api.unique("badcidr"), "debian-12"));
        badCidr.put("fixed_network", "10.0.0.300/24");
        String refusedModel = Api.asDemo().body(badCidr).post("/v1/baymodels").then().statusCode(201).extract().path("uuid");
        batch.create("refused", refusedModel, 1);
        // a bay to point at a stack Heat never had: one Heat refuses costs the cloud nothing
        batch.create("unknown", refusedModel, 1);
        // the node simulator fails the kubeadm step of the servers of this image
        batch.create("bootfail", Api.createBaymodel(Api.unique("bootfail"), "stand-in-fail"), 1);
        String privateName = Api.unique("private");
        batch.add("private", privateName, Api.asDemo().header("OpenStack-API-Version", "container-infra latest")
                .body(Map.of("name", privateName, "cluster_template_id", model, "node_count", 2, "floating_ip_enabled", false))
                .post("/v1/clusters").then().statusCode(202).extract().path("uuid"));
    });

    @Test
    void oneMinionBayReachesCreateCompleteWithARealStack() {
        assertBayBuilt(BAYS.get("e2e-1"), 1);
    }

    @Test
    void threeMinionBayReachesCreateCompleteWithARealStack() {
        assertBayBuilt(BAYS.get("e2e-3"), 3);
    }

    @Test
    void eachServersUserDataIsValidCloudInitWhoseScriptsPassShellcheckAndCarriesTheBaysSettingsButNoKey() throws Exception {
        BayBatch.Asked asked = BAYS.get("e2e-1");
        JsonPath bay = Api.awaitFinal(asked.uuid());
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_COMPLETE");
        String stackName = Bay.stackNameFor(asked.name(), asked.uuid());
        CloudInventory cloud = CloudInventory.of(LocalCloud.token(LocalCloud.DEMO), stackName);
        String master = userData(cloud.serverIds().get(stackName + "-master"));
        String minion = userData(cloud.serverIds().get(stackName + "-minion-0"));
        String masterSettings = checked(master);
        String minionSettings = checked(minion);
        String floating = bay.getList("master_addresses", String.class).get(0);
        String privateIp = CloudInventory.get(LocalCloud.token(LocalCloud.DEMO), CloudInventory.NEUTRON + "/ports?device_id="
                + cloud.serverIds().get(stackName + "-master")).path("ports").get(0).path("fixed_ips").get(0).path("ip_address").asText();
        assertThat(masterSettings).contains("ROLE=master\n", "KUBE_TAG=v1.34.2\n", "NETWORK_DRIVER=flannel\n",
                "POD_CIDR=10.100.0.0/16\n", "SERVICE_CIDR=10.254.0.0/16\n", "MASTER_PUBLIC_IP=" + floating + "\n",
                "MASTER_PRIVATE_IP=" + privateIp + "\n",
                "CNI_MANIFEST_URL=https://github.com/flannel-io/flannel/releases/download/v0.26.1/kube-flannel.yml\n")
                .containsPattern("BOOTSTRAP_TOKEN=[a-z0-9]{6}\\.[a-z0-9]{16}\n").containsPattern("CA_KEY_TOKEN=[A-Za-z0-9_-]{43}\n");
        String token = masterSettings.replaceFirst("(?s).*BOOTSTRAP_TOKEN=([a-z0-9.]+)\n.*", "$1");
        assertThat(minionSettings).contains("ROLE=minion\n", "MASTER_PRIVATE_IP=" + privateIp + "\n", "BOOTSTRAP_TOKEN=" + token + "\n")
                .containsPattern("CA_CERT_HASH=sha256:[0-9a-f]{64}\n").doesNotContain("CA_KEY_TOKEN");
        // every node is labelled with its group's role and name, as Magnum's drivers label them
        assertThat(masterSettings).contains("NODE_LABELS=magnum.openstack.org/role=master,magnum.openstack.org/nodegroup=default-master\n");
        assertThat(minionSettings).contains("NODE_LABELS=magnum.openstack.org/role=worker,magnum.openstack.org/nodegroup=default-worker\n",
                "NODE_TAINTS=\n");
        // the master holds the CA's certificate; the CA's key never travels in the user data (Nova keeps that in
        // clear): the master fetches it once from baystack
        assertThat(master).contains("BEGIN CERTIFICATE");
        assertThat(master + minion).doesNotContain("PRIVATE KEY");
        // both tokens are hidden from the stack's parameters as Heat shows them
        JsonNode parameters = LocalCloud.stackDetail(LocalCloud.token(LocalCloud.DEMO), stackName, bay.getString("stack_id"))
                .path("parameters");
        assertThat(parameters.path("bootstrap_token").asText()).isEqualTo("******");
        assertThat(parameters.path("ca_key_token").asText()).isEqualTo("******");
    }

    /**
     * Checks user data as cloud-init takes it (tests/userdata/check.py: cloud-init schema, shellcheck) and
     * answers the settings file it writes.
     */
    static String checked(String userData) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("user-data", ".txt");
        java.nio.file.Files.writeString(file, userData);
        Process check = new ProcessBuilder("python3", "tests/userdata/check.py", file.toString(), "--show",
                "/etc/baystack/bootstrap.env").redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(out).isZero();
        assertThat(out).contains("ok cloud-init schema").contains("ok shellcheck lib.sh").containsPattern("ok shellcheck part-\\d+\\.sh");
        return out.substring(out.indexOf("--- /etc/baystack/bootstrap.env"));
    }

    /** A server's user data as Nova gives it to an admin (microversion 2.3), decoded. */
    static String userData(String serverId) {
        java.net.http.HttpResponse<String> r = LocalCloud.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(CloudInventory.NOVA + "/servers/" + serverId)).header("X-Auth-Token", LocalCloud.token(LocalCloud.ADMIN).id())
                .header("OpenStack-API-Version", "compute 2.3").header("Accept", "application/json").GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String encoded = LocalCloud.read(r.body()).path("server").path("OS-EXT-SRV-ATTR:user_data").asText();
        assertThat(encoded).as("Nova holds the server's user data").isNotEmpty();
        return new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aBootstrapThatFailsFailsTheBayWithTheStepItNamed() {
        JsonPath bay = Api.awaitFinal(BAYS.get("bootfail").uuid());
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_FAILED");
        // the node's own words reach the bay: its status reason and its faults, as Heat has them
        assertThat(bay.getString("status_reason")).as(bay.prettify()).contains("failed (exit 1)");
        Map<String, String> faults = bay.getMap("bay_faults", String.class, String.class);
        // the first node to fail stops the stack (Heat cancels the others): the master's or a minion's
        assertThat(faults).as(bay.prettify()).anySatisfy((resource, reason) -> {
            assertThat(resource).matches("master_wait|.*minion_wait");
            assertThat(reason).containsPattern("kubeadm (init|join) failed \\(exit 1\\)");
        });
    }

    @Test
    void aBayWithoutFloatingIpsHasItsServersPrivateAddresses() {
        String name = BAYS.get("private").name();
        String uuid = BAYS.get("private").uuid();
        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_COMPLETE");
        assertThat(bay.getBoolean("floating_ip_enabled")).isFalse();
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        String stackName = Bay.stackNameFor(name, uuid);
        List<JsonNode> resources = LocalCloud.resources(demo, stackName, bay.getString("stack_id"));
        assertThat(LocalCloud.count(resources, "OS::Nova::Server")).isEqualTo(3);
        assertThat(LocalCloud.count(resources, "OS::Neutron::FloatingIP")).isZero();
        CloudInventory cloud = CloudInventory.of(demo, stackName);
        assertThat(cloud.floatingIps()).isEmpty();
        // the addresses are the servers' ports' own, on the bay's subnet
        java.util.Set<String> ports = new java.util.TreeSet<>();
        String net = CloudInventory.get(demo, CloudInventory.NEUTRON + "/networks?name=" + stackName + "-net").path("networks")
                .get(0).path("id").asText();
        CloudInventory.get(demo, CloudInventory.NEUTRON + "/ports?network_id=" + net + "&device_owner=compute:nova").path("ports")
                .forEach(p -> ports.add(p.path("fixed_ips").get(0).path("ip_address").asText()));
        java.util.Set<String> addresses = new java.util.TreeSet<>(bay.getList("master_addresses", String.class));
        addresses.addAll(bay.getList("node_addresses", String.class));
        assertThat(addresses).hasSize(3).isEqualTo(ports);
        assertThat(bay.getString("api_address")).isEqualTo("https://" + bay.getList("master_addresses", String.class).get(0) + ":6443");
        // a scale-down may still name a minion by its (private) address
        String removed = bay.getList("node_addresses", String.class).get(0);
        Api.asDemo().header("OpenStack-API-Version", "container-infra latest")
                .body(Map.of("node_count", 1, "nodes_to_remove", List.of(removed))).post("/v1/clusters/" + uuid + "/actions/resize")
                .then().statusCode(202);
        JsonPath after = Api.awaitFinal(uuid);
        assertThat(after.getString("status")).as(after.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(after.getList("node_addresses", String.class)).hasSize(1).doesNotContain(removed);
    }

    @Test
    void aStackHeatRefusesEndsCreateFailedWithHeatsMessageAndNoStack() {
        String name = BAYS.get("refused").name();
        String uuid = BAYS.get("refused").uuid();

        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).isEqualTo("CREATE_FAILED");
        assertThat(bay.getString("status_reason"))
                .startsWith("Parameter 'fixed_network_cidr' is invalid")
                .contains("10.0.0.300/24");
        assertThat(bay.getString("stack_id")).isNull();
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).isEmpty();
    }

    @Test
    void aBayOnAnExistingNetworkPutsItsServersThereAndBuildsNoNetworkOfItsOwn() {
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        String n = CloudInventory.NEUTRON;
        String tag = Api.unique("own");
        // the project's own network, routed to the external one, as an operator or user would have made it
        String net = CloudInventory.post(demo, n + "/networks", "{\"network\": {\"name\": \"" + tag + "-net\"}}")
                .path("network").path("id").asText();
        String subnet = CloudInventory.post(demo, n + "/subnets", "{\"subnet\": {\"name\": \"" + tag + "-subnet\", \"network_id\": \""
                + net + "\", \"ip_version\": 4, \"cidr\": \"10.50.0.0/24\"}}").path("subnet").path("id").asText();
        String public_ = CloudInventory.get(demo, n + "/networks?name=public").path("networks").get(0).path("id").asText();
        String router = CloudInventory.post(demo, n + "/routers", "{\"router\": {\"name\": \"" + tag + "-router\","
                + " \"external_gateway_info\": {\"network_id\": \"" + public_ + "\"}}}").path("router").path("id").asText();
        assertThat(CloudInventory.send(demo, "PUT", n + "/routers/" + router + "/add_router_interface",
                "{\"subnet_id\": \"" + subnet + "\"}")).isEqualTo(200);
        try {
            String model = Api.createBaymodel(Api.unique("own"), "debian-12");
            // a subnet alone says nothing of the network it is in: refused rather than ignored
            Api.asDemo().body(Map.of("name", Api.unique("own"), "cluster_template_id", model, "node_count", 1,
                    "fixed_subnet", tag + "-subnet")).post("/v1/clusters").then().statusCode(400)
                    .body("errors[0].detail", org.hamcrest.Matchers.equalTo("fixed_subnet " + tag
                            + "-subnet needs fixed_network: the existing network the subnet is in."));
            String name = Api.unique("own");
            String uuid = Api.asDemo().body(Map.of("name", name, "cluster_template_id", model, "node_count", 1,
                    "fixed_network", tag + "-net", "fixed_subnet", tag + "-subnet")).post("/v1/clusters")
                    .then().statusCode(202).extract().path("uuid");
            JsonPath bay = Api.awaitFinal(uuid);
            assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_COMPLETE");
            CloudInventory cloud = CloudInventory.of(demo, Bay.stackNameFor(name, uuid));
            assertThat(cloud.servers()).hasSize(2);
            assertThat(cloud.networks()).isZero();
            assertThat(cloud.routers()).isZero();
            // the servers' ports are on the network given, with addresses of the subnet given
            JsonNode ports = CloudInventory.get(demo, n + "/ports?network_id=" + net + "&device_owner=compute:nova").path("ports");
            assertThat(ports).hasSize(2).allSatisfy(p -> {
                assertThat(p.path("fixed_ips").get(0).path("subnet_id").asText()).isEqualTo(subnet);
                assertThat(p.path("fixed_ips").get(0).path("ip_address").asText()).startsWith("10.50.0.");
            });
            assertThat(bay.getList("master_addresses", String.class)).hasSize(1);
            Api.asDemo().delete("/v1/clusters/" + uuid).then().statusCode(204);
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Api.demoGetStatus("/v1/clusters/" + uuid) == 404);
            // the network was not the bay's: it stays, without the bay's ports
            assertThat(CloudInventory.get(demo, n + "/ports?network_id=" + net + "&device_owner=compute:nova").path("ports")).isEmpty();
        } finally {
            CloudInventory.send(demo, "PUT", n + "/routers/" + router + "/remove_router_interface", "{\"subnet_id\": \"" + subnet + "\"}");
            CloudInventory.send(demo, "DELETE", n + "/routers/" + router, null);
            CloudInventory.send(demo, "DELETE", n + "/networks/" + net, null);
        }
    }

    @Test
    void aStackDeletedBehindBaystacksBackFailsTheBayWhichCanThenBeDeleted() {
        String model = Api.createBaymodel(Api.unique("vanish"), "debian-12");
        String name = Api.unique("vanish");
        String uuid = Api.createBay(name, model, 1);
        String[] stackId = new String[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                (stackId[0] = Api.getJson(LocalCloud.DEMO, "/v1/bays/" + uuid).path("stack_id").textValue()) != null);
        LocalCloud.deleteStack(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid), stackId[0]);

        // Heat first cancels the create ("Operation cancelled"), then deletes: the bay fails either way,
        // and is not removed, since nobody deleted the bay
        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).isEqualTo("CREATE_FAILED");
        assertThat(bay.getString("status_reason")).containsAnyOf("Operation cancelled", "deleted outside baystack",
                "not found in Heat");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> LocalCloud.stackGone(LocalCloud.token(LocalCloud.DEMO), stackId[0]));
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("CREATE_FAILED"));
        // its owner deletes it; its stack is already gone, so the row goes at once
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Api.demoGetStatus("/v1/bays/" + uuid) == 404);
    }

    @Test
    void aStackHeatNoLongerKnowsFailsTheBayInProgress() {
        // the row points at a stack the real Heat has never had (purged, or another region's): Heat lists none
        String uuid = BAYS.get("unknown").uuid();
        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_FAILED");
        String missing = java.util.UUID.randomUUID().toString();
        assertThat(rows.execute("update bay set stack_id = $1, status = 'CREATE_IN_PROGRESS', version = version + 1"
                + " where uuid = $2", missing, uuid)).isEqualTo(1);

        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).isEqualTo("CREATE_FAILED");
        assertThat(bay.getString("status_reason")).isEqualTo("Stack with id " + missing + " not found in Heat.");
    }

    private void assertBayBuilt(BayBatch.Asked asked, int minions) {
        String name = asked.name();
        String uuid = asked.uuid();

        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_COMPLETE");
        assertThat(bay.getString("status_reason")).isEqualTo("Stack CREATE completed successfully");

        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        String stackId = bay.getString("stack_id");
        JsonNode stack = LocalCloud.stack(demo, stackId);
        assertThat(stack.path("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
        String stackName = stack.path("stack_name").asText();
        assertThat(stackName).isEqualTo(Bay.stackNameFor(name, uuid));
        // exactly one stack for this bay in the user's project
        assertThat(LocalCloud.stacksNamed(demo, stackName)).hasSize(1);

        List<JsonNode> resources = LocalCloud.resources(demo, stackName, stackId);
        assertThat(LocalCloud.count(resources, "OS::Nova::Server")).isEqualTo(1 + minions);
        assertThat(LocalCloud.count(resources, "OS::Cinder::Volume")).isEqualTo(1 + minions);
        assertThat(LocalCloud.count(resources, "OS::Cinder::VolumeAttachment")).isEqualTo(1 + minions);
        assertThat(LocalCloud.count(resources, "OS::Neutron::Port")).isEqualTo(1 + minions);
        assertThat(LocalCloud.count(resources, "OS::Neutron::Net")).isEqualTo(1);
        assertThat(LocalCloud.count(resources, "OS::Neutron::Subnet")).isEqualTo(1);
        assertThat(LocalCloud.count(resources, "OS::Neutron::Router")).isEqualTo(1);
        assertThat(LocalCloud.count(resources, "OS::Heat::ResourceGroup")).isEqualTo(1);
        // every server's bootstrap signalled its wait condition (here the node simulator, scripts/os/node-sim.py,
        // reading the server's user data as cloud-init would): the bay is complete once every node said so
        assertThat(resources.stream().filter(r -> "OS::Heat::WaitCondition".equals(r.path("resource_type").asText())))
                .hasSize(1 + minions).allMatch(r -> "CREATE_COMPLETE".equals(r.path("resource_status").asText()));
        assertThat(LocalCloud.resourceAttribute(demo, stackName, stackId, "master_wait", "data"))
                .contains("certificate authority: key fetched, it matches ca.crt");
        assertThat(rows.caKeyFetched(uuid)).as("the master fetched its CA key").isTrue();

        // the addresses come from the stack's outputs
        String ipv4 = "\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}";
        assertThat(bay.getString("api_address")).matches("https://" + ipv4 + ":6443");
        assertThat(bay.getList("master_addresses", String.class)).hasSize(1).allMatch(a -> a.matches(ipv4));
        assertThat(bay.getList("node_addresses", String.class)).hasSize(minions).allMatch(a -> a.matches(ipv4));
        assertThat(bay.getString("api_address")).contains(bay.getList("master_addresses", String.class).get(0));
        assertThat(bay.getInt("node_count")).isEqualTo(minions);

        // and the cloud itself holds the bay: Nova's servers, Neutron's ports and floating IPs, Cinder's volumes
        CloudInventory cloud = CloudInventory.of(demo, stackName);
        java.util.Map<String, String> servers = new java.util.TreeMap<>();
        servers.put(stackName + "-master", "ACTIVE");
        for (int i = 0; i < minions; i++) {
            servers.put(stackName + "-minion-" + i, "ACTIVE");
        }
        assertThat(cloud.servers()).isEqualTo(servers);
        // one port per server, and the router's on the bay's subnet
        assertThat(cloud.portsByOwner()).isEqualTo(java.util.Map.of("compute", 1 + minions, "network", 1));
        // the bay's addresses are the servers' floating IPs
        java.util.Set<String> addresses = new java.util.TreeSet<>(bay.getList("master_addresses", String.class));
        addresses.addAll(bay.getList("node_addresses", String.class));
        assertThat(cloud.floatingIps()).isEqualTo(addresses);
        // a docker volume attached to each server
        assertThat(cloud.attachedTo()).containsExactlyElementsOf(servers.keySet());
        assertThat(cloud.networks()).isEqualTo(1);
        assertThat(cloud.routers()).isEqualTo(1);
        assertThat(cloud.securityGroups()).isEqualTo(3);
    }


}
