package io.baystack.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * More than a thousand malformed or hostile requests: none may answer 5xx, every 4xx speaks
 * Magnum's error body, and none may store anything. Hostile values are also sent with a valid model,
 * where only the value itself can be what refuses them: per field, either refused (400), or, where
 * Magnum takes any string, stored verbatim and never interpreted; what names a thing in the cloud
 * (flavors, networks, subnet) is looked up as the text it is and not found.
 */
@QuarkusTest
class BadInputCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Strings that are wrong in many ways: injection, control characters, sizes, encodings. */
    static final List<String> HOSTILE = List.of("", " ", "x".repeat(300), "'; drop table bay; --", "\" or 1=1 --",
            "{{ 7*7 }}", "${jndi:ldap://127.0.0.1/x}", "{get_param: OS::project_id}", "%(tenant_id)s", "<script>x</script>",
            "\u0000", "a\u0001b", "line\nbreak", "tab\there", "\u202e", "😀", "../../etc/passwd", "null", "true", "-1",
            "1e999", "NaN", "0x10", "%00", "\\", "\"", "]}", "{\"a\":", "a".repeat(70000));

    /** JSON values of every wrong type. */
    static final List<String> VALUES = List.of("null", "true", "-1", "0", "2147483648", "-2147483649", "1.5",
            "99999999999999999999", "\"\"", "\"abc\"", "[]", "[1]", "{}", "{\"a\":1}", "\"-5\"", "\"1e3\"");

    static final List<String> BAY_FIELDS = List.of("name", "baymodel_id", "node_count", "master_count", "discovery_url",
            "bay_create_timeout", "docker_volume_size", "labels", "flavor_id", "master_flavor_id", "fixed_network",
            "fixed_subnet", "floating_ip_enabled", "master_lb_enabled");

    static final List<String> BROKEN_JSON = List.of("{", "}", "[", "{\"name\": }", "{\"name\" \"x\"}", "{'name': 'x'}",
            "{\"name\": \"x\",}", "nul", "{\"a\":1}{\"b\":2}", "\u0000{}", "{\"name\": \"\\ud800\"}", "[{\"op\":}]",
            "{\"node_count\": 1e99999}", "{\"node_count\": 00012}", "\"just a string\"", "12", "true",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");

    /**
     * What Magnum takes any 1 to 255 characters for and looks up nowhere: a hostile string in a bay's
     * discovery_url or its label values is stored and passed on verbatim.
     */
    static final List<String> VERBATIM_FIELDS = List.of("discovery_url");
    /** Label values per verbatim bay. */
    static final int VERBATIM_LABELS = 5;
    /** Bay fields Magnum looks up in Nova or Neutron: a hostile string there is a thing the cloud does not have. */
    static final Map<String, String> LOOKED_UP = Map.of("flavor_id", "Unable to find flavor ", "master_flavor_id",
            "Unable to find flavor ", "fixed_network", "Unable to find fixed network ", "fixed_subnet",
            "Unable to find fixed subnet ");
    /** The hostile strings that are valid text (1 to 255 characters, no control character, not blank). */
    static final List<String> VERBATIM = List.of("'; drop table bay; --", "\" or 1=1 --", "{{ 7*7 }}",
            "${jndi:ldap://127.0.0.1/x}", "{get_param: OS::project_id}", "%(tenant_id)s", "<script>x</script>",
            "../../etc/passwd", "null", "true", "-1", "1e999", "%00", "\\", "]}", "😀", "\u202e");
    /** JSON values that are not strings (nor null): refused wherever a string is expected. */
    static final List<String> NOT_STRINGS = List.of("true", "false", "-1", "0", "2147483648", "1.5",
            "99999999999999999999", "1e308", "-1e308", "[]", "[\"x\"]", "{}", "{\"a\":1}");
    static final List<String> STRING_FIELDS = List.of("name", "discovery_url", "flavor_id", "master_flavor_id",
            "fixed_network", "fixed_subnet");

    @Inject
    Rows rows;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void hostileRequestsNeverAnswer5xxAlwaysSpeakMagnumAndStoreNothing() {
        String model = Api.createBaymodel(Api.unique("corpus"), "debian-12");
        String bay = Api.createBay(Api.unique("corpus"), model, 1);
        List<String> failures = new ArrayList<>();
        // the verbatim bays are built by Heat while the corpus below is sent; what Heat kept is checked after
        Map<String, Map<String, Object>> verbatimSent = storedVerbatim(model, failures);
        List<String> verbatim = new ArrayList<>(verbatimSent.keySet());
        // from here on nothing may be stored: bays made after this watermark (background removals of
        // deleted bays cannot change that count, as they could a project's total)
        long watermark = lastBayId();
        int sent = verbatim.size();
        // every bay field with every wrong value and every hostile string; the model named does not
        // exist, so even a value that happens to be valid cannot create anything
        for (String field : BAY_FIELDS) {
            List<String> values = new ArrayList<>(VALUES);
            HOSTILE.forEach(h -> values.add(quote(h)));
            for (String value : values) {
                StringBuilder body = new StringBuilder("{\"" + field + "\": " + value);
                if (!field.equals("baymodel_id")) {
                    body.append(", \"baymodel_id\": \"00000000-0000-4000-8000-000000000000\"");
                }
                body.append('}');
                sent += check(failures, "POST /v1/bays " + field + "=" + abbreviate(value),
                        Api.asDemo().body(body.toString()).post("/v1/bays"), true);
            }
        }
        // with a valid model: a value of another type for a string field is refused, naming the field
        for (String field : STRING_FIELDS) {
            for (String value : NOT_STRINGS) {
                sent += refused(failures, "POST /v1/bays (valid model) " + field + "=" + value, "{\"baymodel_id\": \""
                        + model + "\", \"node_count\": \"1\", \"" + field + "\": " + value + "}", field);
            }
        }
        // with a valid model: a hostile flavor, network or subnet is looked up as it is, and not found
        for (Map.Entry<String, String> field : LOOKED_UP.entrySet()) {
            for (String h : VERBATIM) {
                Map<String, Object> body = Map.of("baymodel_id", model, "node_count", "1", field.getKey(), h);
                Response r = Api.asDemo().body(body).post("/v1/bays");
                String detail = r.statusCode() == 400 ? String.valueOf(firstError(r).path("detail").asText(null)) : "";
                if (!detail.equals(field.getValue() + h + ".")) {
                    failures.add(r.statusCode() + " for " + field.getKey() + "=" + abbreviate(h) + ": " + abbreviate(r.asString()));
                }
                sent += check(failures, "POST /v1/bays (valid model) " + field.getKey() + "=" + abbreviate(h), r, true);
            }
        }
        // with a valid model: a hostile name is refused (Magnum's names start with a letter, then letters,
        // digits, '_', '.', '-'; "null", "true" and "NaN" are names like any other)
        for (String h : HOSTILE) {
            if (!List.of("null", "true", "NaN").contains(h)) {
                sent += refused(failures, "POST /v1/bays (valid model) name=" + abbreviate(h), "{\"baymodel_id\": \""
                        + model + "\", \"name\": " + quote(h) + "}", "name");
            }
        }
        // broken JSON and hostile bodies at every write endpoint
        for (String path : List.of("/v1/bays", "/v1/clusters", "/v1/baymodels", "/v1/clustertemplates", "/v1/quotas")) {
            for (String body : concat(BROKEN_JSON, HOSTILE.stream().map(BadInputCorpusTest::quote).toList())) {
                sent += check(failures, "POST " + path + " " + abbreviate(body), Api.asDemo().body(body).post(path), false);
            }
        }
        // JSON patches of every shape, on a built bay (one being built would refuse them all for its status)
        assertThat(Api.awaitFinal(bay).getString("status")).isEqualTo("CREATE_COMPLETE");
        for (String op : List.of("replace", "add", "remove", "move", "copy", "test", "", "REPLACE", "null")) {
            for (String path : List.of("/node_count", "/name", "/uuid", "/stack_id", "node_count", "/", "/node_count/x",
                    "/../status", "/labels", "/" + "p".repeat(300))) {
                for (String value : List.of("0", "-1", "\"x\"", "null", "[]", "2147483648")) {
                    String patch = "[{\"op\": \"" + op + "\", \"path\": \"" + path + "\", \"value\": " + value + "}]";
                    sent += check(failures, "PATCH bay " + abbreviate(patch),
                            Api.asDemo().body(patch).patch("/v1/bays/" + bay), false);
                }
            }
        }
        // headers, idents and query parameters
        for (String h : HOSTILE) {
            String safe = h.replaceAll("[\\x00-\\x1f\\u202e]", "?");
            // a request line or header beyond the HTTP server's limits is refused by the server itself
            // (414/431, or the connection closed while the client still writes)
            boolean oversized = safe.length() > 4000;
            sent += send(failures, "microversion " + abbreviate(safe), oversized, () ->
                    Api.asDemo().header("OpenStack-API-Version", "container-infra " + safe).get("/v1/bays?limit=1"));
            String ident = java.net.URLEncoder.encode(safe.isEmpty() ? " " : safe, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20");
            sent += send(failures, "ident " + abbreviate(safe), oversized, () -> Api.asDemo().urlEncodingEnabled(false)
                    .get("/v1/bays/" + ident));
            for (String q : List.of("sort_key", "sort_dir", "marker", "limit")) {
                sent += send(failures, q + "=" + abbreviate(safe), oversized,
                        () -> Api.asDemo().queryParam(q, safe).get("/v1/clusters"));
            }
            sent += send(failures, "token " + abbreviate(safe), oversized, () ->
                    given().header("X-Auth-Token", safe.isEmpty() ? "x" : safe.replaceAll("[^\\x20-\\x7e]", "?"))
                            .get("/v1/bays?limit=1"));
        }
        // a body over the limit: read, then refused in Magnum's body
        sent += send(failures, "2 MB body", false, () -> Api.asDemo()
                .body("{\"name\": \"" + "x".repeat(2_000_000) + "\"}").post("/v1/bays"));

        keptVerbatimByHeat(verbatimSent, failures);
        assertThat(sent).isGreaterThanOrEqualTo(1000);
        assertThat(failures).as(failures.size() + " of " + sent + " requests went wrong").isEmpty();
        assertThat(baysAfter(watermark)).as("nothing stored").isZero();
        Api.asDemo().get("/v1/bays/" + bay).then().statusCode(200);
        // the test's bays go, with their stacks: nothing left behind in Heat
        List<String> mine = new ArrayList<>(verbatim);
        mine.add(bay);
        for (String uuid : mine) {
            Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(4)).pollInterval(java.time.Duration.ofSeconds(2))
                .until(() -> mine.stream().allMatch(uuid -> Api.demoGetStatus("/v1/bays/" + uuid) == 404));
    }

    /**
     * Every hostile string that is valid text, in every field Magnum takes any string for, with a valid
     * model: accepted, stored as sent, shown as sent, and handed to Heat as a plain parameter value that
     * Heat keeps as it is (a template function in it is not evaluated: {@link #keptVerbatimByHeat}). A
     * few bays carry them all, a different string per field. Answers what each bay was sent, by uuid.
     */
    private Map<String, Map<String, Object>> storedVerbatim(String model, List<String> failures) {
        Map<String, Map<String, Object>> sentFor = new java.util.LinkedHashMap<>();
        int fields = VERBATIM_FIELDS.size() + VERBATIM_LABELS;
        for (int b = 0; b * fields < VERBATIM.size(); b++) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("name", Api.unique("verbatim"), "baymodel_id", model,
                    "node_count", "1"));
            for (int f = 0; f < VERBATIM_FIELDS.size(); f++) {
                body.put(VERBATIM_FIELDS.get(f), VERBATIM.get((b * fields + f) % VERBATIM.size()));
            }
            Map<String, String> labels = new java.util.TreeMap<>();
            for (int l = 0; l < VERBATIM_LABELS; l++) {
                labels.put("v" + l, VERBATIM.get((b * fields + VERBATIM_FIELDS.size() + l) % VERBATIM.size()));
            }
            body.put("labels", labels);
            Response r = Api.asDemo().header("OpenStack-API-Version", "container-infra latest").body(body).post("/v1/bays");
            if (r.statusCode() != 202) {
                failures.add(r.statusCode() + " for verbatim " + body + ": " + abbreviate(r.asString()));
                continue;
            }
            String uuid = r.path("uuid");
            sentFor.put(uuid, body);
            Map<String, Object> row = rows.byUuid("bay", uuid);
            Map<String, Object> shown = Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).extract().jsonPath().getMap("$");
            for (String field : VERBATIM_FIELDS) {
                if (!body.get(field).equals(row.get(field)) || !body.get(field).equals(shown.get(field))) {
                    failures.add("not verbatim: " + field + " sent " + body.get(field) + ", stored " + row.get(field)
                            + ", shown " + shown.get(field));
                }
            }
            if (!labels.equals(new java.util.TreeMap<>((Map<?, ?>) shown.get("labels")))) {
                failures.add("labels not verbatim: sent " + labels + ", shown " + shown.get("labels"));
            }
        }
        return sentFor;
    }

    /** Heat took each verbatim value as a value and kept it as sent (the template's parameters of these fields). */
    private void keptVerbatimByHeat(Map<String, Map<String, Object>> sentFor, List<String> failures) {
        Map<String, String> parameters = Map.of("discovery_url", "discovery_url");
        for (String uuid : sentFor.keySet()) {
            String status = Api.awaitFinal(uuid).getString("status");
            Map<String, Object> row = rows.byUuid("bay", uuid);
            if (!"CREATE_COMPLETE".equals(status)) {
                failures.add("verbatim bay " + uuid + " ended " + status + " (" + row.get("status_reason") + ")");
                continue;
            }
            JsonNode inHeat = LocalCloud.stackDetail(LocalCloud.token(LocalCloud.DEMO),
                    (String) row.get("stack_name"), (String) row.get("stack_id")).path("parameters");
            parameters.forEach((field, parameter) -> {
                if (!sentFor.get(uuid).get(field).equals(inHeat.path(parameter).asText())) {
                    failures.add("Heat's " + parameter + " of " + uuid + " is " + inHeat.path(parameter)
                            + ", sent " + sentFor.get(uuid).get(field));
                }
            });
        }
    }

    /** One request that must be a 400 naming {@code field}, in Magnum's body. */
    private static int refused(List<String> failures, String what, String body, String field) {
        Response r = Api.asDemo().body(body).post("/v1/bays");
        String detail = r.statusCode() == 400 ? String.valueOf(firstError(r).path("detail").asText(null)) : "";
        if (r.statusCode() != 400 || !detail.contains("field/attribute " + field + ".")) {
            failures.add(r.statusCode() + " for " + what + ": " + abbreviate(r.asString()));
        }
        return check(failures, what, r, true);
    }

    private long lastBayId() {
        return pool.query("select coalesce(max(id), 0) from bay").execute().await().indefinitely()
                .iterator().next().getLong(0);
    }

    private long baysAfter(long id) {
        return pool.preparedQuery("select count(*) from bay where id > $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(id))
                .await().indefinitely().iterator().next().getLong(0);
    }

    /** Sends one request; a connection the server closes is a failure unless the request was oversized. */
    private static int send(List<String> failures, String what, boolean oversized,
            java.util.function.Supplier<Response> request) {
        Response r;
        try {
            r = request.get();
        } catch (Exception e) { // RestAssured throws the socket's checked exceptions undeclared
            boolean closed = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                closed |= t instanceof java.net.SocketException;
            }
            if (!(closed && oversized)) {
                failures.add("no answer for " + what + ": " + e);
            }
            return 1;
        }
        return check(failures, what, r, false);
    }

    /** One request: never 5xx; a 4xx has Magnum's body; a 2xx is a failure when the request must be refused. */
    private static int check(List<String> failures, String what, Response r, boolean mustRefuse) {
        int status = r.statusCode();
        if (status >= 500) {
            failures.add(status + " for " + what + ": " + abbreviate(r.asString()));
        } else if (status == 414 || status == 431) {
            // a request line or header beyond the HTTP server's limits is refused by the server itself,
            // before any of baystack runs (as a WSGI server would in front of Magnum): 4xx, no body
            return 1;
        } else if (status >= 400) {
            JsonNode error = firstError(r);
            if (!error.isObject() || !error.path("status").isInt() || error.path("status").asInt() != status
                    || absent(error.path("title")) || absent(error.path("detail"))
                    || !"application/json".equals(r.contentType().split(";")[0])) {
                failures.add(status + " without Magnum's error body for " + what + ": " + abbreviate(r.asString()));
            } else if (text(error.path("detail")).matches("(?s).*(Exception|\\tat |java\\.).*")) {
                failures.add(status + " leaks internals for " + what + ": " + abbreviate(r.asString()));
            }
        } else if (mustRefuse) {
            failures.add(status + " accepted " + what);
        }
        return 1;
    }

    /**
     * The first error of a Magnum error body, or a missing node. Read with Jackson: RestAssured's JsonPath
     * compiles a Groovy expression per call, which made the thousand checks the bulk of this test's time.
     */
    private static JsonNode firstError(Response r) {
        try {
            return JSON.readTree(r.asString()).path("errors").path(0);
        } catch (java.io.IOException | RuntimeException notJson) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : node.toString();
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…(" + s.length() + ")" : s;
    }
}
