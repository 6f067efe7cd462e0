package io.baystack.heat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.bay.Bay;
import io.baystack.baymodel.BayModel;
import io.baystack.certificate.BayCa;
import io.baystack.certificate.NodeBootstrap;
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
    static final String KUBE_TAG = "kube_tag";
    /** The nodes' bootstrap scripts the templates get_file. */
    static final List<String> BOOTSTRAP = List.of("bootstrap/lib.sh", "bootstrap/master.sh", "bootstrap/minion.sh");
    private static final Pattern REGISTRY_ENTRY = Pattern.compile("(?m)^\\s+(OS::\\S+):\\s*(\\S+\\.yaml)\\s*$");


    /** What a finished stack's outputs give the bay: the API's URL and the servers' addresses. */
    public record Addresses(String api, List<String> masters, List<String> nodes) {
    }

    /** The stack outputs a finished bay takes its addresses from (Magnum's output mappings, as a table). */
    static final String API_ADDRESS = "api_address";
    static final String MASTERS = "kube_masters";
    static final String NODES = "kube_minions";

    private final String template;
    /** The same template as a tree, to render a cluster's extra worker groups into. */
    private final com.fasterxml.jackson.databind.node.ObjectNode tree;
    private final Map<String, String> files;
    private final String environment;

    BayTemplate(BaystackConfig config) {
        this.template = read(CLUSTER);
        this.tree = WorkerGroups.parse(template);
        Map<String, String> all = new LinkedHashMap<>();
        all.put(MINION, read("heat/" + MINION));
        for (String script : BOOTSTRAP) {
            all.put(script, read("heat/" + script));
        }
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

    /** A scale-down's removals named by a Nova server uuid the stack's minions do not hold. */
    public static final class NotAMinion extends RuntimeException {
        NotAMinion(String serverId) {
            super("nodes_to_remove: server " + serverId + " is not a minion of this bay's stack.", null, false, false);
        }
    }

    /**
     * The removals as the group's removal policy takes them: a Nova server uuid (as the cluster autoscaler
     * names a node) becomes its minion's group index, from the stack's resources; indexes and addresses stay.
     */
    public static String removalsByIndex(String toRemove, List<HeatPayloads.Resource> resources) {
        return removalsByIndex(toRemove, resources, WorkerGroups.DEFAULT_GROUP);
    }

    /** As {@link #removalsByIndex(String, List)} for the minion group {@code group} of the stack. */
    static String removalsByIndex(String toRemove, List<HeatPayloads.Resource> resources, String group) {
        if (toRemove == null || toRemove.isBlank()) {
            return toRemove;
        }
        List<String> out = new java.util.ArrayList<>();
        for (String entry : toRemove.split(",")) {
            if (!SERVER_ID.matcher(entry).matches()) {
                out.add(entry);
                continue;
            }
            out.add(resources.stream()
                    .filter(r -> "OS::Nova::Server".equals(r.type()) && MINION_SERVER.equals(r.name())
                            && entry.equalsIgnoreCase(r.physicalId()) && r.parent() != null && r.inGroup(group))
                    .map(HeatPayloads.Resource::parent).findFirst().orElseThrow(() -> new NotAMinion(entry)));
        }
        return String.join(",", out);
    }

    /** Whether a scale-down names a server by uuid (then the stack's resources are needed). */
    public static boolean namesServers(String toRemove) {
        return toRemove != null && java.util.Arrays.stream(toRemove.split(",")).anyMatch(e -> SERVER_ID.matcher(e).matches());
    }

    private static final Pattern SERVER_ID = Pattern.compile("^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$");
    /** The server of kubeminion.yaml; its nested stack's name in the group is the minion's index. */
    private static final String MINION_SERVER = "kube_minion";

    /** The stack's number_of_minions parameter (Heat gives parameters back as text), or null. */
    public static Integer minions(StackDetail stack) {
        String value = stack.parameters() == null ? null : stack.parameters().get(MINIONS);
        try {
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** What a stack update sends: new parameter values, and the template when the bay's worker groups change it. */
    public record Update(Object template, Map<String, Object> parameters) {
    }

    /**
     * The update of a bay's stack: {@link #forUpdate(Bay, BayModel, BayCa, String)}'s parameters, and, for a
     * cluster that has (or had) extra worker groups, the template rendered with those the stack is to hold,
     * each scaling down by its own removals ({@code groupRemovals}, by group uuid, as indexes).
     */
    public Update forUpdate(Bay bay, BayModel model, BayCa ca, String minionsToRemove, List<io.baystack.bay.NodeGroup> groups,
            Map<String, String> groupRemovals) {
        Map<String, Object> values = forUpdate(bay, model, ca, minionsToRemove);
        if (groups.isEmpty()) {
            return new Update(null, values);
        }
        return new Update(WorkerGroups.render(tree, groups.stream().filter(io.baystack.bay.NodeGroup::inStack).toList(),
                groupRemovals), values);
    }

    /** The extra groups' addresses in a finished stack's outputs, by stack key (JSON lists). */
    public static Map<String, String> groupAddresses(StackDetail stack, List<io.baystack.bay.NodeGroup> groups) {
        return WorkerGroups.addresses(stack, groups.stream().map(g -> g.stackKey).toList());
    }

    /** The stack create request for a bay with its CA and what its nodes need from baystack. */
    public StackCreate forBay(Bay bay, BayModel model, BayCa ca, NodeBootstrap.Secrets nodes) {
        return new StackCreate(bay.stackName, template, files, BayParameters.of(bay, model, ca, nodes), environment,
                bay.createTimeout, true);
    }

    /**
     * The parameters an update sends to an existing stack: the node_count (with the minions a
     * scale-down removes) and the bay's CA, so a rotated CA reaches the nodes (unchanged values
     * change nothing in Heat). {@code ca} null: a stack from before CAs were kept, sent none.
     */
    public Map<String, Object> forUpdate(Bay bay, BayModel model, BayCa ca, String minionsToRemove) {
        Map<String, Object> values = updateParameters(bay, ca, minionsToRemove);
        if (model != null) {
            // the bay's model as it is now (an upgrade moved the bay to another): unchanged values change nothing,
            // and a scale-up builds its new minions as the others are
            values.put("server_image", model.imageId);
            values.put(KUBE_TAG, model.labels == null ? BayParameters.DEFAULT_KUBE_TAG
                    : model.labels.getOrDefault(KUBE_TAG, BayParameters.DEFAULT_KUBE_TAG));
            values.put("max_batch_size", bay.upgradeMaxBatchSize == null ? 1 : bay.upgradeMaxBatchSize);
        }
        return values;
    }

    static Map<String, Object> updateParameters(Bay bay, BayCa ca) {
        return updateParameters(bay, ca, bay.minionsToRemove);
    }

    static Map<String, Object> updateParameters(Bay bay, BayCa ca, String minionsToRemove) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(MINIONS, bay.nodeCount);
        if (minionsToRemove != null && !minionsToRemove.isBlank()) {
            values.put("minions_to_remove", minionsToRemove);
        }
        if (ca != null) {
            values.put(CA_CERT, ca.certPem());
        }
        return values;
    }

    static Map<String, Object> parameters(Bay bay, BayModel model, BayCa ca) {
        return BayParameters.of(bay, model, ca, null);
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
