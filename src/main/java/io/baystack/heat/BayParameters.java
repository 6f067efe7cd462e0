package io.baystack.heat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.baystack.bay.Bay;
import io.baystack.baymodel.BayModel;
import io.baystack.baymodel.KubeRelease;
import io.baystack.certificate.BayCa;
import io.baystack.certificate.NodeBootstrap;

import static io.baystack.heat.BayTemplate.CA_CERT;
import static io.baystack.heat.BayTemplate.KUBE_TAG;
import static io.baystack.heat.BayTemplate.MINIONS;

/**
 * The one table from a bay, its model, its CA and its nodes' bootstrap values to the parameters of
 * {@code heat/kubecluster.yaml}. Labels baystack knows ({@code baymodel/KnownLabels}, checked when the bay
 * was made) become parameters here; the others change nothing.
 */
final class BayParameters {

    private static final Pattern CIDR = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$");

    private BayParameters() {
    }

    /** A template parameter and where its value comes from; empty values are not sent (Heat's default applies). */
    record Parameter(String name, Function<Source, Object> value) {
    }

    record Source(Bay bay, BayModel model, BayCa ca, NodeBootstrap.Secrets nodes) {
        /** One of the bay's labels (its own, or its model's as the create took them). */
        String label(String name) {
            return bay.labels == null ? null : bay.labels.get(name);
        }

        String networkDriver() {
            return model.networkDriver == null || model.networkDriver.isBlank() ? "flannel" : model.networkDriver;
        }
    }

    /** The Kubernetes release of a bay whose labels name none. */
    static final String DEFAULT_KUBE_TAG = KubeRelease.DEFAULT;
    static final String DEFAULT_FLANNEL_TAG = "v0.26.1";
    static final String DEFAULT_CALICO_TAG = "v3.29.1";

    /** The CNI manifest for the bay's network_driver: the cni_manifest_url label, else its upstream release's. */
    static String cniManifest(Source s) {
        String given = s.label("cni_manifest_url");
        if (given != null) {
            return given;
        }
        if ("calico".equals(s.networkDriver())) {
            return "https://raw.githubusercontent.com/projectcalico/calico/"
                    + java.util.Objects.requireNonNullElse(s.label("calico_tag"), DEFAULT_CALICO_TAG) + "/manifests/calico.yaml";
        }
        return "https://github.com/flannel-io/flannel/releases/download/"
                + java.util.Objects.requireNonNullElse(s.label("flannel_tag"), DEFAULT_FLANNEL_TAG) + "/kube-flannel.yml";
    }

    static final List<Parameter> PARAMETERS = List.of(
            new Parameter("bay_uuid", s -> s.bay().uuid),
            new Parameter("server_image", s -> s.model().imageId),
            new Parameter("master_flavor", s -> s.bay().masterFlavorId),
            new Parameter("minion_flavor", s -> s.bay().flavorId),
            new Parameter("ssh_key_name", s -> s.bay().keypair),
            new Parameter("external_network", s -> s.model().externalNetworkId),
            // a fixed_network given as a CIDR (Kilo) sizes the network the template builds; given as a name or id
            // (Magnum since), the servers go on that existing network, with fixed_subnet's addresses
            new Parameter("fixed_network_cidr", s -> cidrOrNull(s.bay().fixedNetwork)),
            new Parameter("existing_network", s -> cidrOrNull(s.bay().fixedNetwork) == null ? s.bay().fixedNetwork : null),
            new Parameter("existing_subnet", s -> cidrOrNull(s.bay().fixedNetwork) == null ? s.bay().fixedSubnet : null),
            new Parameter("dns_nameserver", s -> s.model().dnsNameserver),
            new Parameter("docker_volume_size", s -> s.bay().dockerVolumeSize),
            new Parameter(MINIONS, s -> s.bay().nodeCount),
            new Parameter("floating_ip_enabled", s -> s.bay().floatingIpEnabled),
            new Parameter(KUBE_TAG, s -> s.model().labels == null ? null : s.model().labels.get(KUBE_TAG)),
            new Parameter("discovery_url", s -> s.bay().discoveryUrl),
            // the Kubernetes bootstrap (heat/bootstrap/): the CNI, the networks, where images and packages come from
            new Parameter("network_driver", Source::networkDriver),
            new Parameter("cni_manifest_url", BayParameters::cniManifest),
            new Parameter("pod_cidr", s -> s.label("calico".equals(s.networkDriver()) ? "calico_ipv4pool" : "flannel_network_cidr")),
            new Parameter("service_cidr", s -> s.label("service_cluster_ip_range")),
            new Parameter("container_infra_prefix", s -> s.label("container_infra_prefix")),
            new Parameter("package_repository", s -> s.label("package_repository")),
            // what the nodes need from baystack: the join token and CA hash, the master's one-time CA key fetch
            new Parameter("bootstrap_token", s -> s.nodes() == null ? null : s.nodes().bootstrapToken()),
            new Parameter("bootstrap_token_ttl", s -> s.nodes() == null ? null : s.nodes().tokenTtl()),
            new Parameter("ca_cert_hash", s -> s.nodes() == null ? null : s.nodes().caCertHash()),
            new Parameter("ca_key_url", s -> s.nodes() == null ? null : s.nodes().caKeyUrl()),
            new Parameter("ca_key_token", s -> s.nodes() == null ? null : s.nodes().caKeyToken()),
            // the bay's CA certificate for the Kubernetes bootstrap. Never its key: Heat would keep a parameter in
            // its database (in clear unless the operator encrypts them); the master fetches the key from baystack
            new Parameter(CA_CERT, s -> s.ca() == null ? null : s.ca().certPem()));

    static Map<String, Object> of(Bay bay, BayModel model, BayCa ca, NodeBootstrap.Secrets nodes) {
        Source source = new Source(bay, model, ca, nodes);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Parameter p : PARAMETERS) {
            Object v = p.value().apply(source);
            if (v != null && !(v instanceof String s && s.isBlank())) {
                values.put(p.name(), v);
            }
        }
        return values;
    }

    private static String cidrOrNull(String network) {
        return network != null && CIDR.matcher(network).matches() ? network : null;
    }
}
