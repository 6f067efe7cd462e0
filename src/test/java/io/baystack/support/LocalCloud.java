package io.baystack.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The real local Keystone and Heat that scripts/local-up.sh brings up, seen from the tests: tokens
 * for the local users and read-only looks at what Heat really holds. Settings come from the same
 * environment variables as the openrc file, with the local defaults.
 */
public final class LocalCloud {

    public static final String AUTH_URL = env("OS_AUTH_URL", "http://127.0.0.1:5000/v3");
    public static final String HEAT_URL = env("BAYSTACK_TEST_HEAT_URL", "http://127.0.0.1:8004/v1");

    /** A Keystone user of the local cloud and the project it works in. */
    public record User(String name, String password, String project) {
    }

    public static final User DEMO = new User("demo", env("BAYSTACK_TEST_DEMO_PASSWORD", "demo-local"), "demo");
    public static final User ADMIN = new User("admin", env("BAYSTACK_TEST_ADMIN_PASSWORD", "admin-local"), "admin");
    public static final User ALT = new User("alt_demo", env("BAYSTACK_TEST_ALT_PASSWORD", "alt-local"), "alt_demo");
    /** Another user of demo's project. */
    public static final User PEER = new User("demo_peer", env("BAYSTACK_TEST_PEER_PASSWORD", "peer-local"), "demo");

    /** A token and the project it is scoped to. */
    public record Token(String id, String projectId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<User, Token> TOKENS = new ConcurrentHashMap<>();

    private LocalCloud() {
    }

    /** A project-scoped token of the user, issued once per test run (Keystone's last an hour). */
    public static Token token(User user) {
        return TOKENS.computeIfAbsent(user, LocalCloud::issue);
    }

    /** A new token, never cached: for tests that revoke it. */
    public static Token freshToken(User user) {
        return issue(user);
    }

    private static Token issue(User user) {
        String body = """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
                 "domain": {"name": "Default"}, "password": "%s"}}},
                 "scope": {"project": {"name": "%s", "domain": {"name": "Default"}}}}}
                """.formatted(user.name(), user.password(), user.project());
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(AUTH_URL + "/auth/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Keystone refused a token for " + user.name() + ": "
                    + response.statusCode() + " " + response.body()
                    + " (is the local cloud up? bash scripts/local-up.sh)");
        }
        String id = response.headers().firstValue("X-Subject-Token").orElseThrow();
        return new Token(id, read(response.body()).path("token").path("project").path("id").asText());
    }

    /** Revokes a token at Keystone (it validates its own token to revoke it). */
    public static void revoke(Token token) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(AUTH_URL + "/auth/tokens"))
                .header("X-Auth-Token", token.id()).header("X-Subject-Token", token.id()).DELETE().build());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("could not revoke a token: " + response.statusCode());
        }
    }

    /** The stack as Heat has it (GET /stacks/{id} follows Heat's redirect to name/id). */
    public static JsonNode stack(Token token, String stackId) {
        HttpResponse<String> response = heatGet(token, "/stacks?id=" + stackId);
        JsonNode stacks = read(response.body()).path("stacks");
        if (stacks.size() != 1) {
            throw new AssertionError("Heat lists " + stacks.size() + " stacks with id " + stackId);
        }
        return stacks.get(0);
    }

    /**
     * The stack with its parameters, status and timeout (GET /stacks/{name}/{id}), without its outputs:
     * resolving them loads every nested stack, about a second of Heat's time per call; the tests read
     * outputs through the bay, as baystack stored them.
     */
    public static JsonNode stackDetail(Token token, String stackName, String stackId) {
        return read(heatGet(token, "/stacks/" + stackName + "/" + stackId + "?resolve_outputs=False").body()).path("stack");
    }

    /** The raw answer of Heat's {@code GET /v1/{project}{path}} (200 asserted), e.g. a stack's events or outputs. */
    public static String heatText(Token token, String path) {
        return heatGet(token, path).body();
    }

    /** True when Heat no longer lists a stack with this id in the token's project. */
    public static boolean stackGone(Token token, String stackId) {
        return read(heatGet(token, "/stacks?id=" + stackId).body()).path("stacks").isEmpty();
    }

    /** Whether Keystone still has the trust (asked as the local cloud's admin). */
    public static boolean trustExists(String trustId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(AUTH_URL + "/OS-TRUST/trusts/" + trustId))
                .header("X-Auth-Token", token(ADMIN).id()).GET().build());
        if (response.statusCode() != 200 && response.statusCode() != 404) {
            throw new AssertionError("Keystone answered " + response.statusCode() + ": " + response.body());
        }
        return response.statusCode() == 200;
    }

    /** POSTs {@code body} (JSON) to Keystone's {@code path} with {@code token}; the answer, whatever its status. */
    public static HttpResponse<String> keystonePost(String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(AUTH_URL + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return send(request.build());
    }

    /** GETs Keystone's {@code path} as the local cloud's admin and reads the JSON answer (200 expected). */
    public static JsonNode keystoneGet(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(AUTH_URL + path))
                .header("X-Auth-Token", token(ADMIN).id()).GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("Keystone answered " + response.statusCode() + " to GET " + path + ": " + response.body());
        }
        return read(response.body());
    }

    /**
     * The trusts {@code user} made, as Keystone lists them to the trustor (with the user's own token: the
     * trustor-list policy wants a system-scoped reader otherwise).
     */
    public static List<JsonNode> trustsMadeBy(User user) {
        Token token = token(user);
        HttpResponse<String> who = send(HttpRequest.newBuilder(URI.create(AUTH_URL + "/auth/tokens"))
                .header("X-Auth-Token", token.id()).header("X-Subject-Token", token.id()).GET().build());
        String userId = read(who.body()).path("token").path("user").path("id").asText();
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(AUTH_URL + "/OS-TRUST/trusts?trustor_user_id=" + userId))
                .header("X-Auth-Token", token.id()).GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("Keystone answered " + response.statusCode() + " to the trust list: " + response.body());
        }
        List<JsonNode> trusts = new ArrayList<>();
        read(response.body()).path("trusts").forEach(trusts::add);
        return trusts;
    }

    /** Deletes a trust as the local cloud's admin (gone already is fine); true when it was there. */
    public static boolean deleteTrust(String trustId) {
        return send(HttpRequest.newBuilder(URI.create(AUTH_URL + "/OS-TRUST/trusts/" + trustId))
                .header("X-Auth-Token", token(ADMIN).id()).DELETE().build()).statusCode() == 204;
    }

    /** The stacks of the token's project named exactly {@code name} (Heat's own name filter, no paging). */
    public static List<JsonNode> stacksNamed(Token token, String name) {
        List<JsonNode> found = new ArrayList<>();
        read(heatGet(token, "/stacks?name=" + name).body()).path("stacks").forEach(s -> {
            if (s.path("stack_name").asText().equals(name)) {
                found.add(s);
            }
        });
        return found;
    }

    /** Deletes a stack behind baystack's back, as another tool or an operator would. */
    public static void deleteStack(Token token, String stackName, String stackId) {
        HttpResponse<String> response = send(HttpRequest
                .newBuilder(URI.create(HEAT_URL + "/" + token.projectId() + "/stacks/" + stackName + "/" + stackId))
                .header("X-Auth-Token", token.id()).DELETE().build());
        if (response.statusCode() != 204) {
            throw new AssertionError("Heat answered " + response.statusCode() + " to a stack delete: " + response.body());
        }
    }

    /** Deletes a stack if Heat still has it; true when Heat took the delete (404: already gone, false). */
    public static boolean deleteStackQuietly(Token token, String stackName, String stackId) {
        return send(HttpRequest.newBuilder(URI.create(HEAT_URL + "/" + token.projectId() + "/stacks/" + stackName + "/" + stackId))
                .header("X-Auth-Token", token.id()).DELETE().build()).statusCode() == 204;
    }

    /**
     * The stacks of the token's project whose names start with {@code prefix}, paging through Heat's
     * whole list (limit + marker): the test projects hold many stacks, and a "no orphan" check that read
     * only Heat's first page could pass without seeing one.
     */
    public static List<JsonNode> stacksStartingWith(Token token, String prefix) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode s : allStacks(token)) {
            if (s.path("stack_name").asText().startsWith(prefix)) {
                found.add(s);
            }
        }
        return found;
    }

    /** Every stack of the token's project, page by page (oldest first, so new stacks do not shift the pages). */
    public static List<JsonNode> allStacks(Token token) {
        List<JsonNode> all = new ArrayList<>();
        String marker = null;
        while (true) {
            JsonNode page = read(heatGet(token, "/stacks?limit=" + STACK_PAGE + "&sort_keys=creation_time&sort_dir=asc"
                    + (marker == null ? "" : "&marker=" + marker)).body()).path("stacks");
            page.forEach(all::add);
            if (page.size() < STACK_PAGE) {
                return all;
            }
            marker = page.get(page.size() - 1).path("id").asText();
        }
    }

    private static final int STACK_PAGE = 100;

    /** Every resource of the stack and its nested stacks (like {@code resource list --nested-depth 5}). */
    public static List<JsonNode> resources(Token token, String stackName, String stackId) {
        HttpResponse<String> response = heatGet(token,
                "/stacks/" + stackName + "/" + stackId + "/resources?nested_depth=5");
        List<JsonNode> all = new ArrayList<>();
        read(response.body()).path("resources").forEach(all::add);
        return all;
    }

    /** One attribute of one resource of the stack, as Heat resolves it (text; a map or list as its JSON). */
    public static String resourceAttribute(Token token, String stackName, String stackId, String resource, String attribute) {
        JsonNode value = read(heatGet(token, "/stacks/" + stackName + "/" + stackId + "/resources/" + resource).body())
                .path("resource").path("attributes").path(attribute);
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** How many resources of the nested tree have this type. */
    public static long count(List<JsonNode> resources, String type) {
        return resources.stream().filter(r -> type.equals(r.path("resource_type").asText())).count();
    }

    private static HttpResponse<String> heatGet(Token token, String path) {
        HttpResponse<String> response = send(HttpRequest
                .newBuilder(URI.create(HEAT_URL + "/" + token.projectId() + path))
                .header("X-Auth-Token", token.id()).header("Accept", "application/json").GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("Heat answered " + response.statusCode() + " to GET " + path + ": "
                    + response.body());
        }
        return response;
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
