package io.baystack.heat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.baystack.bay.NodeGroup;
import io.baystack.support.FastTier;

/**
 * The nodes' kubeadm registration as the bootstrap writes it (heat/bootstrap/lib.sh, run by bash): a
 * node group's labels and taints, from the settings file Heat writes, reach kubeadm's nodeRegistration.
 */
@FastTier
class NodeRegistrationTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The nodeRegistration the bootstrap renders from a settings file holding {@code settings}. */
    private static JsonNode registration(String settings) throws Exception {
        Path env = Files.createTempFile("bootstrap", ".env");
        Files.writeString(env, settings);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "set -Eeuo pipefail; source src/main/resources/heat/bootstrap/lib.sh; load_settings; node_registration");
        pb.environment().put("BAYSTACK_ENV", env.toString());
        pb.environment().put("BAYSTACK_LOG", "/dev/null");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return YAML.readTree(out).path("nodeRegistration");
    }

    @Test
    void anExtraGroupsLabelsAndTaintsReachKubeadm() throws Exception {
        NodeGroup big = new NodeGroup();
        big.name = "big";
        big.role = NodeGroup.WORKER;
        big.nodeLabels = Map.of("disk", "ssd", "example.com/tier", "gold");
        big.nodeTaints = List.of("dedicated=big:NoSchedule", "gpu:NoExecute");
        JsonNode r = registration("ROLE=minion\nNODE_LABELS=" + big.kubeletLabels() + "\nNODE_TAINTS=" + big.kubeletTaints() + "\n");

        assertThat(r.path("criSocket").asText()).isEqualTo("unix:///run/containerd/containerd.sock");
        assertThat(r.path("kubeletExtraArgs").get(0).path("name").asText()).isEqualTo("node-labels");
        assertThat(r.path("kubeletExtraArgs").get(0).path("value").asText()).isEqualTo(
                "magnum.openstack.org/role=worker,magnum.openstack.org/nodegroup=big,disk=ssd,example.com/tier=gold");
        assertThat(r.path("taints")).hasSize(2);
        assertThat(r.path("taints").get(0).toString()).isEqualTo("{\"key\":\"dedicated\",\"value\":\"big\",\"effect\":\"NoSchedule\"}");
        assertThat(r.path("taints").get(1).toString()).isEqualTo("{\"key\":\"gpu\",\"effect\":\"NoExecute\"}");
    }

    @Test
    void withoutTaintsKubeadmKeepsItsOwnDefault() throws Exception {
        JsonNode r = registration("ROLE=master\nNODE_LABELS=magnum.openstack.org/role=master\nNODE_TAINTS=\n");
        assertThat(r.path("kubeletExtraArgs").get(0).path("value").asText()).isEqualTo("magnum.openstack.org/role=master");
        // absent, not an empty list: an empty list would take the control plane's taint off the master
        assertThat(r.has("taints")).isFalse();
    }

    @Test
    void aGroupNamedOutsideLabelSyntaxIsLabelledByItsServerInfix() {
        NodeGroup g = new NodeGroup();
        g.name = "GPU nodes!";
        g.role = NodeGroup.WORKER;
        assertThat(g.kubeletLabels()).isEqualTo("magnum.openstack.org/role=worker,magnum.openstack.org/nodegroup=gpunodes");
    }
}
