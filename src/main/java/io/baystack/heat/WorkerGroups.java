package io.baystack.heat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.baystack.bay.NodeGroup;
import io.baystack.heat.HeatPayloads.StackDetail;

/**
 * A cluster's extra worker groups in its one stack. Each group is a copy of the template's default
 * minion group ({@code kube_minions}) named {@code kube_minions_<stack key>}, with the group's own
 * count, removals, flavor, image and volume size (the cluster's where the group has none), its nodes'
 * Kubernetes labels (its role and name, then its node_labels) and taints, its servers
 * named {@code <stack>-<group>-<index>}, and two outputs of its addresses. A stack update sends the
 * template rendered with the groups the stack is to hold: Heat adds, resizes and removes them.
 */
final class WorkerGroups {

    static final String DEFAULT_GROUP = "kube_minions";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerGroups() {
    }

    static ObjectNode parse(String template) {
        try {
            return (ObjectNode) YAML.readTree(template);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bay template", e);
        }
    }

    /** The group's resource (and output) name in the stack. */
    static String resource(NodeGroup group) {
        return DEFAULT_GROUP + "_" + group.stackKey;
    }

    /**
     * The template with {@code groups} (those the stack is to hold) beside the default group. {@code removals}:
     * by group uuid, the indexes the group's scale-down removes.
     */
    static ObjectNode render(ObjectNode base, List<NodeGroup> groups, Map<String, String> removals) {
        ObjectNode template = base.deepCopy();
        ObjectNode resources = (ObjectNode) template.get("resources");
        ObjectNode outputs = (ObjectNode) template.get("outputs");
        JsonNode model = resources.get(DEFAULT_GROUP);
        for (NodeGroup g : groups) {
            ObjectNode group = model.deepCopy();
            ObjectNode props = (ObjectNode) group.get("properties");
            props.put("count", g.nodeCount);
            ArrayNode list = props.putArray("removal_policies").addObject().putArray("resource_list");
            String remove = removals.get(g.uuid);
            if (remove != null && !remove.isBlank()) {
                for (String entry : remove.split(",")) {
                    list.add(entry);
                }
            }
            ObjectNode member = (ObjectNode) props.get("resource_def").get("properties");
            ArrayNode name = member.putObject("name").putArray("list_join");
            name.add("-");
            name.addArray().add(param("OS::stack_name")).add(NodeGroup.serverInfix(g.name)).add("%index%");
            member.set("minion_flavor", valueOr(g.flavorId, "minion_flavor"));
            member.set("server_image", valueOr(g.imageId, "server_image"));
            member.set("docker_volume_size", g.dockerVolumeSize == null ? param("docker_volume_size")
                    : YAML.getNodeFactory().numberNode(g.dockerVolumeSize));
            member.put("nodegroup_labels", g.kubeletLabels());
            member.put("nodegroup_taints", g.kubeletTaints());
            resources.set(resource(g), group);
            outputs.putObject(resource(g)).putObject("value").putArray("get_attr").add(resource(g)).add("kube_minion_external_ip");
        }
        return template;
    }

    /** The extra groups' addresses in a finished stack's outputs, by stack key, as JSON lists; absent ones left out. */
    static Map<String, String> addresses(StackDetail stack, List<String> stackKeys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : stackKeys) {
            Object value = stack.output(DEFAULT_GROUP + "_" + key);
            if (value instanceof List<?> l) {
                try {
                    out.put(key, JSON.writeValueAsString(l.stream().filter(v -> v != null).map(Object::toString).toList()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    private static JsonNode valueOr(String value, String parameter) {
        return value == null || value.isBlank() ? param(parameter) : YAML.getNodeFactory().textNode(value);
    }

    private static ObjectNode param(String name) {
        ObjectNode p = YAML.createObjectNode();
        p.put("get_param", name);
        return p;
    }
}
