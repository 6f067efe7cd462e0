package io.baystack.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the real local Nova, Neutron and Cinder hold of one bay, read straight from their APIs (not
 * through Heat or baystack): the servers, ports, floating IPs, volumes, networks, routers and security
 * groups whose names start with the bay's stack name, as Heat names what it builds.
 */
public record CloudInventory(Map<String, String> servers, Map<String, String> serverIds, Map<String, Integer> portsByOwner,
        Map<String, String> floatingIpIds, Map<String, String> volumeAttachments, int networks, int routers, int securityGroups) {

    public static final String NOVA = env("BAYSTACK_TEST_NOVA_URL", "http://127.0.0.1:8774/v2.1");
    public static final String NEUTRON = env("BAYSTACK_TEST_NEUTRON_URL", "http://127.0.0.1:9696/v2.0");
    public static final String CINDER = env("BAYSTACK_TEST_CINDER_URL", "http://127.0.0.1:8776/v3");

    /** The bay's resources in the token's project. */
    public static CloudInventory of(LocalCloud.Token token, String stackName) {
        String prefix = stackName + "-";
        Map<String, String> servers = new TreeMap<>();
        Map<String, String> nameOf = new TreeMap<>();
        for (JsonNode s : get(token, NOVA + "/servers/detail?name=" + encode("^" + prefix)).path("servers")) {
            servers.put(s.path("name").asText(), s.path("status").asText());
            nameOf.put(s.path("id").asText(), s.path("name").asText());
        }
        List<String> networkIds = new ArrayList<>();
        for (JsonNode n : get(token, NEUTRON + "/networks?name=" + encode(stackName + "-net")).path("networks")) {
            networkIds.add(n.path("id").asText());
        }
        Map<String, Integer> portsByOwner = new TreeMap<>();
        List<String> portIds = new ArrayList<>();
        for (String net : networkIds) {
            for (JsonNode p : get(token, NEUTRON + "/ports?network_id=" + net).path("ports")) {
                portsByOwner.merge(p.path("device_owner").asText().replaceFirst(":.*", ""), 1, Integer::sum);
                portIds.add(p.path("id").asText());
            }
        }
        Map<String, String> floatingIps = new TreeMap<>();
        for (JsonNode f : get(token, NEUTRON + "/floatingips?project_id=" + token.projectId()).path("floatingips")) {
            if (portIds.contains(f.path("port_id").asText())) {
                floatingIps.put(f.path("floating_ip_address").asText(), f.path("id").asText());
            }
        }
        Map<String, String> attachments = new TreeMap<>();
        for (JsonNode v : get(token, CINDER + "/" + token.projectId() + "/volumes/detail").path("volumes")) {
            if (v.path("name").asText().startsWith(prefix)) {
                JsonNode attached = v.path("attachments");
                String server = attached.isEmpty() ? null : attached.get(0).path("server_id").asText();
                attachments.put(v.path("id").asText(), server == null ? v.path("status").asText()
                        : nameOf.getOrDefault(server, "unknown server " + server));
            }
        }
        int routers = countNamed(token, NEUTRON + "/routers", "routers", prefix);
        int groups = countNamed(token, NEUTRON + "/security-groups?project_id=" + token.projectId(), "security_groups", prefix);
        Map<String, String> idOf = new TreeMap<>();
        nameOf.forEach((id, name) -> idOf.put(name, id));
        return new CloudInventory(servers, idOf, portsByOwner, floatingIps, attachments, networkIds.size(), routers, groups);
    }

    /** True when nothing of the bay is left in Nova, Neutron or Cinder. */
    public boolean empty() {
        return servers.isEmpty() && portsByOwner.isEmpty() && floatingIpIds.isEmpty() && volumeAttachments.isEmpty()
                && networks == 0 && routers == 0 && securityGroups == 0;
    }

    /** The servers the volumes are attached to (each volume's server name, or its status when it is not attached). */
    public List<String> attachedTo() {
        return volumeAttachments.values().stream().sorted().collect(Collectors.toList());
    }

    /** The addresses of the bay's floating IPs (their ids: {@link #floatingIpIds()}). */
    public Set<String> floatingIps() {
        return new java.util.TreeSet<>(floatingIpIds.keySet());
    }

    /**
     * Whether a floating IP (by its id) still exists anywhere. By id, not by address: Neutron may give
     * a released address to the next floating IP another bay asks for at once.
     */
    public static boolean floatingIpExists(LocalCloud.Token token, String id) {
        HttpResponse<String> response = LocalCloud.send(HttpRequest.newBuilder(URI.create(NEUTRON + "/floatingips/" + id))
                .header("X-Auth-Token", token.id()).GET().build());
        if (response.statusCode() != 200 && response.statusCode() != 404) {
            throw new AssertionError("GET floating IP " + id + ": " + response.statusCode() + " " + response.body());
        }
        return response.statusCode() == 200;
    }

    private static int countNamed(LocalCloud.Token token, String url, String key, String prefix) {
        int n = 0;
        for (JsonNode r : get(token, url).path(key)) {
            if (r.path("name").asText().startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    /** GETs a service URL with the token (200 asserted) and reads the JSON. */
    public static JsonNode get(LocalCloud.Token token, String url) {
        HttpResponse<String> response = LocalCloud.send(HttpRequest.newBuilder(URI.create(url))
                .header("X-Auth-Token", token.id()).header("Accept", "application/json").GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return LocalCloud.read(response.body());
    }

    /** POSTs JSON as the token (201 asserted) and reads the answer: a test's own network, subnet or router. */
    public static JsonNode post(LocalCloud.Token token, String url, String body) {
        HttpResponse<String> response = LocalCloud.send(HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token.id())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 201) {
            throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return LocalCloud.read(response.body());
    }

    /** Sends a JSON request as the token (PUT/POST/DELETE) and returns the status; for quotas in the failure tests. */
    public static int send(LocalCloud.Token token, String method, String url, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token.id())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return LocalCloud.send(request.build()).statusCode();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
