package io.baystack.heat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.baystack.bay.Bay;
import io.baystack.baymodel.BayModel;
import io.baystack.certificate.BayCa;
import io.baystack.support.FastTier;

/** The one table that maps baymodel and bay fields onto kubecluster.yaml's parameters. */
@FastTier
class BayTemplateTest {

    private static BayModel model() {
        BayModel m = new BayModel();
        m.imageId = "debian-12";
        m.keypairId = "testkey";
        m.externalNetworkId = "public";
        m.dnsNameserver = "8.8.4.4";
        return m;
    }

    private static Bay bay(int nodes, String fixedNetwork) {
        Bay b = new Bay();
        b.uuid = "16cb9699-d7b2-447f-b0e6-2662a8f6b818";
        b.nodeCount = nodes;
        b.flavorId = "m1.small";
        b.masterFlavorId = "m1.large";
        b.dockerVolumeSize = 7;
        b.keypair = "testkey";
        b.fixedNetwork = fixedNetwork;
        return b;
    }

    @Test
    void anExtraWorkerGroupIsACopyOfTheMinionGroupWithItsOwnValuesAndOutputs() {
        com.fasterxml.jackson.databind.node.ObjectNode base = WorkerGroups.parse(read("heat/kubecluster.yaml"));
        io.baystack.bay.NodeGroup big = new io.baystack.bay.NodeGroup();
        big.uuid = "8f0e2f55-7a36-4e84-a5f5-fd4dbb4d9e44";
        big.name = "Big_GPU.nodes";
        big.stackKey = "8f0e2f557a";
        big.nodeCount = 3;
        big.flavorId = "m1.medium";
        big.role = io.baystack.bay.NodeGroup.WORKER;
        big.nodeLabels = Map.of("disk", "ssd");
        big.nodeTaints = List.of("dedicated=big:NoSchedule");
        big.status = "UPDATE_IN_PROGRESS";
        var rendered = WorkerGroups.render(base, List.of(big), Map.of(big.uuid, "0,2"));
        var group = rendered.path("resources").path("kube_minions_8f0e2f557a");
        assertThat(group.path("type").asText()).isEqualTo("OS::Heat::ResourceGroup");
        assertThat(group.path("properties").path("count").asInt()).isEqualTo(3);
        assertThat(group.path("properties").path("removal_policies").get(0).path("resource_list").toString()).isEqualTo("[\"0\",\"2\"]");
        var member = group.path("properties").path("resource_def").path("properties");
        assertThat(member.path("minion_flavor").asText()).isEqualTo("m1.medium");
        // no image of its own: the cluster's (so an upgrade moves it), and the cluster's volume size
        assertThat(member.path("server_image").path("get_param").asText()).isEqualTo("server_image");
        assertThat(member.path("docker_volume_size").path("get_param").asText()).isEqualTo("docker_volume_size");
        assertThat(member.path("name").toString()).contains("\"big-gpu-nodes\"").contains("%index%");
        // its nodes' Kubernetes labels (its role and name, then its own) and taints; the default group keeps
        // kubeminion.yaml's defaults (default-worker, no taint)
        assertThat(member.path("nodegroup_labels").asText())
                .isEqualTo("magnum.openstack.org/role=worker,magnum.openstack.org/nodegroup=Big_GPU.nodes,disk=ssd");
        assertThat(member.path("nodegroup_taints").asText()).isEqualTo("dedicated=big:NoSchedule");
        assertThat(member.path("security_groups")).isEqualTo(base.path("resources").path("kube_minions").path("properties")
                .path("resource_def").path("properties").path("security_groups"));
        assertThat(rendered.path("outputs").path("kube_minions_8f0e2f557a").path("value").path("get_attr").toString())
                .isEqualTo("[\"kube_minions_8f0e2f557a\",\"kube_minion_external_ip\"]");
        // the default group and the base template are untouched
        assertThat(rendered.path("resources").path("kube_minions")).isEqualTo(base.path("resources").path("kube_minions"));
        assertThat(base.path("resources").has("kube_minions_8f0e2f557a")).isFalse();
    }

    @Test
    void serverUuidsOfAnExtraGroupBecomeItsIndexesOnly() {
        String href = "http://127.0.0.1:8004/v1/p/stacks/bay-kube_minions_8f0e2f557a-abc-1-def/x";
        var in = new HeatPayloads.Resource("kube_minion", "OS::Nova::Server", "CREATE_COMPLETE", null, "1",
                "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", List.of(new HeatPayloads.Link(href, "stack")));
        var other = new HeatPayloads.Resource("kube_minion", "OS::Nova::Server", "CREATE_COMPLETE", null, "1",
                "aaaaaaaa-bbbb-4ccc-8ddd-ffffffffffff", List.of(new HeatPayloads.Link(
                        "http://127.0.0.1:8004/v1/p/stacks/bay-kube_minions-abc-1-def/y", "stack")));
        assertThat(BayTemplate.removalsByIndex("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", List.of(in, other), "kube_minions_8f0e2f557a"))
                .isEqualTo("1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BayTemplate.removalsByIndex(
                "aaaaaaaa-bbbb-4ccc-8ddd-ffffffffffff", List.of(in, other), "kube_minions_8f0e2f557a"))
                .isInstanceOf(BayTemplate.NotAMinion.class);
        assertThat(BayTemplate.removalsByIndex("aaaaaaaa-bbbb-4ccc-8ddd-ffffffffffff", List.of(in, other))).isEqualTo("1");
    }

    @Test
    void mapsEveryFieldToItsParameter() {
        Map<String, Object> p = BayTemplate.parameters(bay(3, "10.1.0.0/16"), model(), null);
        assertThat(p).containsEntry("server_image", "debian-12")
                .containsEntry("master_flavor", "m1.large")
                .containsEntry("minion_flavor", "m1.small")
                .containsEntry("ssh_key_name", "testkey")
                .containsEntry("external_network", "public")
                .containsEntry("fixed_network_cidr", "10.1.0.0/16")
                .containsEntry("dns_nameserver", "8.8.4.4")
                .containsEntry("docker_volume_size", 7)
                .containsEntry("number_of_minions", 3)
                .containsEntry("bay_uuid", "16cb9699-d7b2-447f-b0e6-2662a8f6b818");
    }

    private static Map<String, Object> withLabels(String networkDriver, Map<String, String> labels) {
        Bay bay = bay(1, null);
        bay.labels = labels;
        BayModel model = model();
        model.networkDriver = networkDriver;
        return BayTemplate.parameters(bay, model, null);
    }

    @Test
    void flannelIsTheDefaultNetworkWithItsReleasesManifestAndThePodNetworkOfItsLabel() {
        assertThat(withLabels(null, Map.of())).containsEntry("network_driver", "flannel")
                .containsEntry("cni_manifest_url", "https://github.com/flannel-io/flannel/releases/download/v0.26.1/kube-flannel.yml")
                .doesNotContainKeys("pod_cidr", "service_cidr", "container_infra_prefix", "package_repository", "kube_tag");
        assertThat(withLabels("flannel", Map.of("flannel_tag", "v0.25.7", "flannel_network_cidr", "10.200.0.0/16",
                "calico_ipv4pool", "192.168.0.0/16")))
                .containsEntry("cni_manifest_url", "https://github.com/flannel-io/flannel/releases/download/v0.25.7/kube-flannel.yml")
                .containsEntry("pod_cidr", "10.200.0.0/16");
    }

    @Test
    void calicoTakesItsOwnReleaseAndPoolLabels() {
        assertThat(withLabels("calico", Map.of("calico_tag", "v3.28.2", "calico_ipv4pool", "192.168.0.0/16",
                "flannel_network_cidr", "10.200.0.0/16")))
                .containsEntry("network_driver", "calico")
                .containsEntry("cni_manifest_url", "https://raw.githubusercontent.com/projectcalico/calico/v3.28.2/manifests/calico.yaml")
                .containsEntry("pod_cidr", "192.168.0.0/16");
    }

    @Test
    void theSourcesOfImagesPackagesAndTheCniManifestAreLabelsForAMirror() {
        assertThat(withLabels("calico", Map.of("container_infra_prefix", "mirror.example.com:5000/k8s/",
                "package_repository", "https://mirror.example.com/k8s/core:/stable:", "cni_manifest_url",
                "https://mirror.example.com/cni/calico.yaml", "service_cluster_ip_range", "10.96.0.0/12", "unknown_label", "x")))
                .containsEntry("container_infra_prefix", "mirror.example.com:5000/k8s/")
                .containsEntry("package_repository", "https://mirror.example.com/k8s/core:/stable:")
                .containsEntry("cni_manifest_url", "https://mirror.example.com/cni/calico.yaml")
                .containsEntry("service_cidr", "10.96.0.0/12")
                .doesNotContainValue("x");
    }

    @Test
    void whatTheNodesNeedFromBaystackGoesToTheStackTheTokensHidden() throws Exception {
        io.baystack.certificate.NodeBootstrap.Secrets nodes = new io.baystack.certificate.NodeBootstrap.Secrets(
                "abcdef.0123456789abcdef", "24h", "sha256:" + "0".repeat(64), "https://baystack.example.com/bootstrap/u/ca-key", "tok");
        assertThat(BayParameters.of(bay(1, null), model(), null, nodes)).containsEntry("bootstrap_token", "abcdef.0123456789abcdef")
                .containsEntry("bootstrap_token_ttl", "24h").containsEntry("ca_cert_hash", nodes.caCertHash())
                .containsEntry("ca_key_url", nodes.caKeyUrl()).containsEntry("ca_key_token", "tok");
        String template = read("heat/kubecluster.yaml");
        for (String hidden : List.of("bootstrap_token", "ca_key_token")) {
            assertThat(template).containsPattern("(?m)^  " + hidden + ":\\n(    .*\\n)*?    hidden: true$");
        }
        assertThat(read("heat/kubeminion.yaml")).containsPattern("(?m)^  bootstrap_token:\\n(    .*\\n)*?    hidden: true$");
    }

    @Test
    void emptyValuesAreLeftToTheTemplatesDefaults() {
        Map<String, Object> p = BayTemplate.parameters(bay(1, "private"), model(), null);
        assertThat(p).doesNotContainKeys("fixed_network_cidr", "discovery_url");
    }

    @Test
    void aServerNamedByUuidIsRemovedByItsMinionsGroupIndex() {
        String a = "6b1f7c6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
        String b = "7c2a8d7f-2b3c-4d4e-9f0a-1b2c3d4e5f60";
        List<HeatPayloads.Resource> resources = List.of(
                new HeatPayloads.Resource("kube_master", "OS::Nova::Server", "CREATE_COMPLETE", null, null, "11111111-2222-4333-8444-555555555555"),
                new HeatPayloads.Resource("kube_minion", "OS::Nova::Server", "CREATE_COMPLETE", null, "0", a),
                new HeatPayloads.Resource("docker_volume", "OS::Cinder::Volume", "CREATE_COMPLETE", null, "2", b),
                new HeatPayloads.Resource("kube_minion", "OS::Nova::Server", "CREATE_COMPLETE", null, "2", b));
        assertThat(BayTemplate.namesServers("1,10.0.0.4")).isFalse();
        assertThat(BayTemplate.namesServers("1," + b)).isTrue();
        assertThat(BayTemplate.removalsByIndex(a + ",1,172.24.4.9," + b.toUpperCase(), resources)).isEqualTo("0,1,172.24.4.9,2");
        // the master's server, or one the stack does not have, is no minion
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BayTemplate.removalsByIndex("11111111-2222-4333-8444-555555555555", resources))
                .isInstanceOf(BayTemplate.NotAMinion.class).hasMessageContaining("is not a minion");
    }

    @Test
    void theCaCertificateGoesToTheStackOnCreateAndOnEveryUpdateItsKeyNever() throws Exception {
        BayCa ca = new BayCa("-----BEGIN CERTIFICATE-----\nc\n", "-----BEGIN PRIVATE KEY-----\nk\n", 2);
        assertThat(BayTemplate.parameters(bay(1, null), model(), ca)).containsEntry("ca_cert", ca.certPem())
                .doesNotContainKey("ca_key").doesNotContainValue(ca.keyPem());
        Bay bay = bay(2, null);
        assertThat(BayTemplate.updateParameters(bay, ca)).containsOnlyKeys("number_of_minions", "ca_cert");
        bay.minionsToRemove = "0";
        assertThat(BayTemplate.updateParameters(bay, null)).containsOnlyKeys("number_of_minions", "minions_to_remove");
        String template;
        try (var in = getClass().getClassLoader().getResourceAsStream(BayTemplate.CLUSTER)) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // the template takes no CA key
        assertThat(template).doesNotContainPattern("(?m)^  ca_key:$");
        assertThat(ca.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void everyMappedParameterIsDeclaredByTheTemplate() throws Exception {
        String template;
        try (var in = getClass().getClassLoader().getResourceAsStream(BayTemplate.CLUSTER)) {
            template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String parameters = template.substring(template.indexOf("\nparameters:"), template.indexOf("\nresources:"));
        for (BayParameters.Parameter parameter : BayParameters.PARAMETERS) {
            assertThat(parameters).as(parameter.name()).containsPattern("(?m)^  " + parameter.name() + ":$");
        }
    }

    @Test
    void theLightStandInsCoverEveryTypeTheFullOnesDo() throws Exception {
        Pattern entry = Pattern.compile("(?m)^  (OS::\\S+):\\s*(\\S+)$");
        Map<String, String> full = registry("heat/env/local.yaml", entry);
        Map<String, String> light = registry("heat/env/local-light.yaml", entry);
        assertThat(light.keySet()).containsAll(full.keySet());
        // the floating IPs stay real stand-ins: a minion's address is its name in the group
        assertThat(light).containsEntry("OS::Neutron::FloatingIP", "standin/floating_ip.yaml");
        assertThat(light.values()).allMatch(v -> v.equals("OS::Heat::None") || full.containsValue(v));
        // and the servers' user data is not built where there are no servers
        assertThat(light).containsEntry("OS::Heat::CloudConfig", "OS::Heat::None").containsEntry("OS::Heat::MultipartMime",
                "OS::Heat::None").containsEntry("OS::Heat::SoftwareConfig", "OS::Heat::None");
    }

    @Test
    void everyEnvironmentWithoutRealServersLeavesTheirWaitConditionsOut() throws Exception {
        // no node boots there to signal: a wait condition would hold every stack until its timeout
        Pattern entry = Pattern.compile("(?m)^  (OS::\\S+):\\s*(\\S+)$");
        for (String env : List.of("heat/env/local.yaml", "heat/env/local-light.yaml", "heat/env/local-slow.yaml")) {
            Map<String, String> registry = registry(env, entry);
            assertThat(registry).as(env).containsKey("OS::Nova::Server")
                    .containsEntry("OS::Heat::WaitConditionHandle", "OS::Heat::None")
                    .containsEntry("OS::Heat::WaitCondition", "OS::Heat::None");
        }
    }

    private String read(String path) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, String> registry(String path, Pattern entry) throws Exception {
        String text;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> types = new TreeMap<>();
        Matcher m = entry.matcher(text);
        while (m.find()) {
            types.put(m.group(1), m.group(2));
        }
        assertThat(types).as(path).isNotEmpty();
        return types;
    }
}
