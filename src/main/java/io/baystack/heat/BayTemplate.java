package io.baystack.heat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.bay.Bay;
import io.baystack.baymodel.BayModel;
import io.baystack.certificate.BayCa;
import io.baystack.config.BaystackConfig;
import io.baystack.heat.HeatPayloads.StackCreate;
import io.baystack.heat.HeatPayloads.StackDetail;

/**
 * The Kubernetes bay's Heat stack: our templates from the classpath ({@code heat/}), and the one
 * table that maps bay and bay-model fields to template parameters. Read once at start-up.
 */
@ApplicationScoped
public class BayTemplate {

    static final String CLUSTER = "heat/kubecluster.yaml";
    static final String MINION = "kubeminion.yaml";
    static final String MINIONS = "number_of_minions";
    static final String CA_CERT = "ca_cert";
    static final String CA_KEY = "ca_key";
    private static final Pattern REGISTRY_ENTRY = Pattern.compile("(?m)^\\s+(OS::\\S+):\\s*(\\S+\\.yaml)\\s*$");
    private static final Pattern CIDR = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$");

    /** A template parameter and where its value comes from; empty values are not sent (Heat's default applies). */
    record Parameter(String name, Function<Source, Object> value) {
    }

    record Source(Bay bay, BayModel model, BayCa ca) {
    }

    static final List<Parameter> PARAMETERS = List.of(
            new Parameter("bay_uuid", s -> s.bay().uuid),
            new Parameter("server_image", s -> s.model().imageId),
            new Parameter("master_flavor", s -> s.bay().masterFlavorId),
            new Parameter("minion_flavor", s -> s.bay().flavorId),
            new Parameter("ssh_key_name", s -> s.bay().keypair),
            new Parameter("external_network", s -> s.model().externalNetworkId),
            // the template builds its own network; a fixed_network given as a CIDR sizes its subnet
            new Parameter("fixed_network_cidr", s -> cidrOrNull(s.bay().fixedNetwork)),
            new Parameter("dns_nameserver", s -> s.model().dnsNameserver),
            new Parameter("docker_volume_size", s -> s.bay().dockerVolumeSize),
            new Parameter(MINIONS, s -> s.bay().nodeCount),
            new Parameter("discovery_url", s -> s.bay().discoveryUrl),
            // the bay's CA for the Kubernetes bootstrap; the key is a hidden parameter (Heat shows ******)
            new Parameter(CA_CERT, s -> s.ca() == null ? null : s.ca().certPem()),
            new Parameter(CA_KEY, s -> s.ca() == null ? null : s.ca().keyPem()));

    /** What a finished stack's outputs give the bay: the API's URL and the servers' addresses. */
    public record Addresses(String api, List<String> masters, List<String> nodes) {
    }

    /** The stack outputs a finished bay takes its addresses from (Magnum's output mappings, as a table). */
    static final String API_ADDRESS = "api_address";
    static final String MASTERS = "kube_masters";
    static final String NODES = "kube_minions";

    private final String template;
    private final Map<String, String> files;
    private final String environment;

    BayTemplate(BaystackConfig config) {
        this.template = read(CLUSTER);
        Map<String, String> all = new LinkedHashMap<>();
        all.put(MINION, read("heat/" + MINION));
        Optional<String> envPath = config.heat().environment();
        this.environment = envPath.map(BayTemplate::read).orElse(null);
        if (environment != null) {
            // the environment's resource_registry names provider templates relative to heat/
            Matcher m = REGISTRY_ENTRY.matcher(environment);
            while (m.find()) {
                all.put(m.group(2), read("heat/" + m.group(2)));
            }
        }
        this.files = Map.copyOf(all);
    }

    /** The stack create request for a bay with its CA. */
    public StackCreate forBay(Bay bay, BayModel model, BayCa ca) {
        return new StackCreate(bay.stackName, template, files, parameters(bay, model, ca), environment,
                bay.createTimeout, true);
    }

    /**
     * The parameters an update sends to an existing stack: the node_count (with the minions a
     * scale-down removes) and the bay's CA, so a rotated CA reaches the nodes (unchanged values
     * change nothing in Heat). {@code ca} null: a stack from before CAs were kept, sent none.
     */
    public Map<String, Object> forUpdate(Bay bay, BayCa ca) {
        return updateParameters(bay, ca);
    }

    static Map<String, Object> updateParameters(Bay bay, BayCa ca) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(MINIONS, bay.nodeCount);
        if (bay.minionsToRemove != null && !bay.minionsToRemove.isBlank()) {
            values.put("minions_to_remove", bay.minionsToRemove);
        }
        if (ca != null) {
            values.put(CA_CERT, ca.certPem());
            values.put(CA_KEY, ca.keyPem());
        }
        return values;
    }

    static Map<String, Object> parameters(Bay bay, BayModel model, BayCa ca) {
        Source source = new Source(bay, model, ca);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Parameter p : PARAMETERS) {
            Object v = p.value().apply(source);
            if (v != null && !(v instanceof String s && s.isBlank())) {
                values.put(p.name(), v);
            }
        }
        return values;
    }

    /**
     * The addresses from a finished stack's outputs: the API at {@code https://<api_address>:6443}
     * ({@code http://…:8080} for a model with TLS disabled), the masters' and minions' addresses.
     */
    public static Addresses addresses(StackDetail stack, boolean tlsDisabled) {
        Object ip = stack.output(API_ADDRESS);
        String api = ip == null ? null : (tlsDisabled ? "http://" + ip + ":8080" : "https://" + ip + ":6443");
        return new Addresses(api, asList(stack.output(MASTERS)), asList(stack.output(NODES)));
    }

    private static List<String> asList(Object value) {
        if (value instanceof List<?> l) {
            return l.stream().filter(v -> v != null).map(Object::toString).toList();
        }
        return value == null ? List.of() : List.of(value.toString());
    }

    boolean sendsEnvironment() {
        return environment != null;
    }

    Map<String, String> files() {
        return files;
    }

    private static String cidrOrNull(String network) {
        return network != null && CIDR.matcher(network).matches() ? network : null;
    }

    private static String read(String path) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
