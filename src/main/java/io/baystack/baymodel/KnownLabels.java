package io.baystack.baymodel;

import java.util.Map;
import java.util.regex.Pattern;

import io.baystack.api.BaystackException;
import io.baystack.api.Validation;

/**
 * The labels baystack maps to its bays' Kubernetes bootstrap (Magnum's names where Magnum has them), and
 * what each must look like. Their values end up in a root script's settings on every node, so a value of
 * the wrong shape is refused (400) when the cluster or its template is made, never passed on. Other labels
 * are kept and shown, and change nothing.
 */
public final class KnownLabels {

    private static final String RELEASE = "^v\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?$";
    private static final String CIDR = "^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$";
    private static final String URL = "^https?://[A-Za-z0-9._~:/?#\\[\\]@!$&()*+,;=%-]+$";

    private record Rule(Pattern shape, String expected) {
    }

    private static final Map<String, Rule> RULES = Map.of(
            "kube_tag", new Rule(Pattern.compile(RELEASE), "a Kubernetes release such as v1.34.2"),
            "flannel_tag", new Rule(Pattern.compile(RELEASE), "a flannel release such as v0.26.1"),
            "calico_tag", new Rule(Pattern.compile(RELEASE), "a Calico release such as v3.29.1"),
            "container_infra_prefix", new Rule(Pattern.compile("^[A-Za-z0-9][A-Za-z0-9.:_/-]*/$"),
                    "a registry prefix ending in / such as registry.example.com/k8s/"),
            "package_repository", new Rule(Pattern.compile(URL),
                    "the http(s) URL of a mirror of pkgs.k8s.io's core:/stable: tree"),
            "cni_manifest_url", new Rule(Pattern.compile(URL), "the http(s) URL of a CNI manifest"),
            "flannel_network_cidr", new Rule(Pattern.compile(CIDR), "an IPv4 CIDR such as 10.100.0.0/16"),
            "calico_ipv4pool", new Rule(Pattern.compile(CIDR), "an IPv4 CIDR such as 10.100.0.0/16"),
            "service_cluster_ip_range", new Rule(Pattern.compile(CIDR), "an IPv4 CIDR such as 10.254.0.0/16"));

    /** The network drivers a bay's Kubernetes can be given (the template's network_driver). */
    public static final java.util.List<String> NETWORK_DRIVERS = java.util.List.of("flannel", "calico");

    private KnownLabels() {
    }

    /** Refuses (400, naming the label) a known label whose value has the wrong shape. */
    public static void check(Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        labels.forEach((name, value) -> {
            Rule rule = RULES.get(name);
            if (rule != null && (value == null || !rule.shape().matcher(value).matches())) {
                throw BaystackException.invalid("Invalid label " + name + ": '" + Validation.printable(String.valueOf(value))
                        + "' is not " + rule.expected() + ".");
            }
        });
    }
}
