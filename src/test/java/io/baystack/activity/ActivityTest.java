package io.baystack.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.support.Api;
import io.baystack.support.RealCloud;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * What a bay is doing (issue 6), through the real Keystone and Heat: its progress while it is built
 * and when done, its events (baystack's own and its stack's), paged, and the watch stream that ends
 * with the bay's operation.
 */
@QuarkusTest
@TestProfile(RealCloud.class)
@io.baystack.support.RealCloudTier
class ActivityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    Rows rows;

    /** What the watch stream sent, and whether it ended by itself. */
    private record Watched(int status, String contentType, List<JsonNode> events, List<String> comments, int streams) {
    }

    @Test
    void progressEventsAndTheWatchStreamFollowARealCreate() throws Exception {
        String model = Api.createBaymodel(Api.unique("act"), "debian-12");
        String uuid = Api.createBay(Api.unique("act"), model, 1);
        CompletableFuture<Watched> stream = CompletableFuture.supplyAsync(() -> watch("/v1/bays/" + uuid + "/events/watch"));

        // while in progress: the reconciler's counts of the stack's resources, short of the whole
        List<JsonNode> during = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(300)).until(() -> {
            JsonNode bay = Api.getJson(LocalCloud.DEMO, "/v1/bays/" + uuid);
            if (bay.path("status").asText().equals("CREATE_IN_PROGRESS") && bay.path("progress").path("total").asInt() > 0) {
                during.add(bay);
            }
            return !bay.path("status").asText().endsWith("_IN_PROGRESS");
        });
        assertThat(during).as("progress measured while the bay was built").isNotEmpty();
        assertThat(during).anySatisfy(bay -> {
            assertThat(figure(bay, "percent")).isLessThan(100);
            assertThat(figure(bay, "complete")).isLessThan(figure(bay, "total"));
        });
        for (JsonNode bay : during) {
            assertThat(figure(bay, "complete") + figure(bay, "in_progress") + figure(bay, "failed") + figure(bay, "pending"))
                    .isEqualTo(figure(bay, "total"));
            assertThat(bay.required("progress").required("pending_resources")).hasSize(figure(bay, "pending"));
        }

        // done: every resource Heat lists (to the same depth) complete
        JsonPath bay = Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).extract().jsonPath();
        assertThat(bay.getString("status")).isEqualTo("CREATE_COMPLETE");
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        JsonNode stack = LocalCloud.stack(demo, bay.getString("stack_id"));
        int inHeat = LocalCloud.resources(demo, stack.path("stack_name").asText(), bay.getString("stack_id")).size();
        Map<String, Object> progress = Api.asDemo().get("/v1/bays/" + uuid + "/progress").then().statusCode(200)
                .body("total", equalTo(inHeat)).body("complete", equalTo(inHeat)).body("percent", equalTo(100))
                .body("in_progress", equalTo(0)).body("failed", equalTo(0)).body("pending", equalTo(0))
                .extract().jsonPath().getMap("$");
        assertThat(inHeat).isGreaterThan(10);
        assertThat(bay.getMap("progress")).isEqualTo(progress);
        assertThat(Api.asDemo().get("/v1/clusters/" + uuid + "/progress").then().statusCode(200).extract()
                .jsonPath().getMap("$")).isEqualTo(progress);
        assertThat(Api.asDemo().get("/v1/clusters/" + uuid).then().statusCode(200).extract()
                .jsonPath().getMap("progress")).isEqualTo(progress);

        // events: baystack's accepted -> handed to Heat -> CREATE_COMPLETE, with Heat's own in between
        List<Map<String, Object>> events = Api.asDemo().get("/v1/bays/" + uuid + "/events").then().statusCode(200)
                .extract().jsonPath().getList("events");
        List<String> ours = events.stream().filter(e -> "baystack".equals(e.get("source")))
                .map(e -> e.get("kind") + " " + e.get("status")).toList();
        assertThat(ours.get(0)).isEqualTo("accepted CREATE_IN_PROGRESS");
        assertThat(ours.get(1)).isEqualTo("handed_to_heat CREATE_IN_PROGRESS");
        assertThat(ours.get(ours.size() - 1)).isEqualTo("status CREATE_COMPLETE");
        int heatStarted = indexOf(events, "heat", "stack", "CREATE_IN_PROGRESS");
        int heatDone = indexOf(events, "heat", "stack", "CREATE_COMPLETE");
        int handed = indexOf(events, "baystack", "handed_to_heat", "CREATE_IN_PROGRESS");
        int complete = indexOf(events, "baystack", "status", "CREATE_COMPLETE");
        assertThat(handed).isLessThan(heatStarted);
        assertThat(heatStarted).isLessThan(heatDone);
        assertThat(heatDone).isLessThan(complete);
        assertThat(complete).isEqualTo(events.size() - 1);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("resource_name")).isEqualTo("kube_master");
            assertThat(e.get("status")).isEqualTo("CREATE_COMPLETE");
        });
        assertThat(events.get(heatStarted).get("status_reason")).isEqualTo("Stack CREATE started");
        assertThat(events.stream().map(e -> e.get("uuid")).distinct().count()).isEqualTo(events.size());

        // the stream sent the same events in the same order, and ended by itself at CREATE_COMPLETE
        Watched watched = stream.get(60, TimeUnit.SECONDS);
        assertThat(watched.status()).isEqualTo(200);
        assertThat(watched.contentType()).startsWith("text/event-stream");
        assertThat(watched.events().stream().map(e -> e.path("uuid").asText()).toList())
                .isEqualTo(events.stream().map(e -> e.get("uuid")).toList());
        // the build outlasted the streams' 5 s: it was watched again from where each stream stopped, with
        // nothing lost or repeated (above), and the quiet seconds carried a heartbeat (every 1 s here)
        assertThat(watched.streams()).isGreaterThan(1);
        assertThat(watched.comments()).contains("watching");

        // the cluster twin lists the same, and pages: walking the next links gives the whole list
        assertThat(Api.asDemo().get("/v1/clusters/" + uuid + "/events").then().statusCode(200).extract()
                .jsonPath().getList("events.uuid")).isEqualTo(events.stream().map(e -> e.get("uuid")).toList());
        assertPagesWalkTo("/v1/bays/" + uuid + "/events", events.stream().map(e -> (String) e.get("uuid")).toList());

        // the round that saw the stack end could not take its last look (Heat or Keystone failed it): as if
        // so, the stack's final events go and the progress is left as it was midway. A later round catches up.
        String heatDoneUuid = (String) events.get(heatDone).get("uuid");
        assertThat(rows.execute("delete from bay_event where bay_id = (select id from bay where uuid = $1)"
                + " and source = 'heat' and id >= (select id from bay_event where uuid = $2)", uuid, heatDoneUuid)).isPositive();
        assertThat(rows.execute("update bay_progress set complete = 0, in_progress = total"
                + " where bay_id = (select id from bay where uuid = $1)", uuid)).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(Api.asDemo().get("/v1/bays/" + uuid + "/events").then().statusCode(200).extract().jsonPath()
                    .getList("events.uuid")).contains(heatDoneUuid);
            // measured again (complete was set to 0 above): the same figures as before, at another time
            Map<String, Object> again = new HashMap<>(Api.asDemo().get("/v1/bays/" + uuid + "/progress").then()
                    .statusCode(200).extract().jsonPath().getMap("$"));
            again.remove("updated_at");
            Map<String, Object> figures = new HashMap<>(progress);
            figures.remove("updated_at");
            assertThat(again).isEqualTo(figures);
        });
    }

    @Test
    void aBayWithoutAStackHasNothingInProgressAndItsStreamEndsAtOnce() {
        // Heat refuses the stack (an invalid CIDR): the bay fails with no stack
        Map<String, Object> body = new HashMap<>(Api.baymodel(Api.unique("act-bad"), "debian-12"));
        body.put("fixed_network", "10.0.0.300/24");
        String model = Api.asDemo().body(body).post("/v1/baymodels").then().statusCode(201).extract().path("uuid");
        String uuid = Api.createBay(Api.unique("act-nostack"), model, 1);
        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_FAILED");

        Api.asDemo().get("/v1/bays/" + uuid + "/progress").then().statusCode(200)
                .body("total", equalTo(0)).body("complete", equalTo(0)).body("percent", equalTo(0))
                .body("pending", equalTo(0)).body("pending_resources.size()", equalTo(0))
                .body("updated_at", equalTo(null));
        List<Map<String, Object>> events = Api.asDemo().get("/v1/clusters/" + uuid + "/events").then().statusCode(200)
                .extract().jsonPath().getList("events");
        assertThat(events).extracting(e -> e.get("kind") + " " + e.get("status"))
                .containsExactly("accepted CREATE_IN_PROGRESS", "status CREATE_FAILED");
        assertThat((String) events.get(1).get("status_reason")).startsWith("Parameter 'fixed_network_cidr' is invalid");

        // final already: the stream sends what there is and ends
        Watched watched = watch("/v1/clusters/" + uuid + "/events/watch");
        assertThat(watched.events()).extracting(e -> e.path("kind").asText()).containsExactly("accepted", "status");
        // after the last one: nothing, and the end
        Watched rest = watch("/v1/bays/" + uuid + "/events/watch?marker=" + events.get(1).get("uuid"));
        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.events()).isEmpty();
    }

    @Test
    void theOneBayViewAddsItsProgressTheOneClusterViewAlsoItsLabelsDiffAndTheListsNeither() {
        String uuid = someBay();
        Set<String> one = Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).extract().jsonPath().<String, Object>getMap("$").keySet();
        Set<String> listed = detailKeys("/v1/bays/detail?limit=1000", uuid, "bays");
        Set<String> extra = new HashSet<>(one);
        extra.removeAll(listed);
        assertThat(extra).containsExactly("progress");
        assertThat(listed).isSubsetOf(one);

        Set<String> cluster = Api.asDemo().get("/v1/clusters/" + uuid).then().statusCode(200).extract().jsonPath()
                .<String, Object>getMap("$").keySet();
        Set<String> clusterListed = detailKeys("/v1/clusters/detail?limit=1000", uuid, "clusters");
        Set<String> clusterExtra = new HashSet<>(cluster);
        clusterExtra.removeAll(clusterListed);
        // Magnum's GET of one cluster also shows how its labels differ from its template's
        assertThat(clusterExtra).containsExactlyInAnyOrder("progress", "labels_overridden", "labels_added", "labels_skipped");
        Api.awaitFinal(uuid);
    }

    @Test
    void unknownOrForeignBaysAndBadPagesAreRefusedInMagnumsBody() {
        String uuid = someBay();
        String missing = java.util.UUID.randomUUID().toString();
        for (String path : List.of("/progress", "/events", "/events/watch")) {
            String accept = path.endsWith("/watch") ? "text/event-stream" : "application/json";
            Api.asDemo().accept(accept).get("/v1/bays/" + missing + path).then().statusCode(404)
                    .body("errors[0].detail", equalTo("Bay " + missing + " could not be found."));
            Api.asDemo().accept(accept).get("/v1/clusters/no-such-cluster" + path).then().statusCode(404)
                    .body("errors[0].detail", equalTo("Cluster no-such-cluster could not be found."));
            // another project's bay is not there for alt_demo
            Api.as(LocalCloud.ALT).accept(accept).get("/v1/bays/" + uuid + path).then().statusCode(404);
            io.restassured.RestAssured.given().accept(accept).get("/v1/bays/" + uuid + path).then().statusCode(401);
        }
        Api.asDemo().get("/v1/bays/" + uuid + "/events?limit=0").then().statusCode(400)
                .body("errors[0].detail", equalTo("Limit must be positive"));
        Api.asDemo().get("/v1/bays/" + uuid + "/events?sort_key=name").then().statusCode(400);
        Api.asDemo().get("/v1/bays/" + uuid + "/events?marker=" + missing).then().statusCode(404)
                .body("errors[0].detail", equalTo("Event " + missing + " could not be found."));
        Api.asDemo().accept("text/event-stream").get("/v1/bays/" + uuid + "/events/watch?marker=" + missing)
                .then().statusCode(404).body("errors[0].detail", containsString(missing));
        Api.asDemo().accept("text/event-stream").get("/v1/bays/" + uuid + "/events/watch?marker=nope")
                .then().statusCode(400);
        Api.awaitFinal(uuid);
    }

    private static String someBay;

    /**
     * A bay of the demo project, for the tests that only look at one (at any point of its build): made by
     * the first of them to run, as each real bay costs the local Nova, Neutron and Cinder a dozen resources.
     */
    private static synchronized String someBay() {
        if (someBay == null) {
            someBay = Api.createBay(Api.unique("act-some"), Api.createBaymodel(Api.unique("act-some"), "debian-12"), 1);
        }
        return someBay;
    }

    private static int indexOf(List<Map<String, Object>> events, String source, String kind, String status) {
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> e = events.get(i);
            if (source.equals(e.get("source")) && kind.equals(e.get("kind")) && status.equals(e.get("status"))) {
                return i;
            }
        }
        throw new AssertionError("no " + source + " " + kind + " " + status + " event in " + events);
    }

    /** Walks the list three at a time by its next links, then backwards in one page. */
    private static void assertPagesWalkTo(String path, List<String> all) {
        List<String> walked = new ArrayList<>();
        String next = path + "?limit=3";
        while (next != null) {
            JsonPath page = Api.asDemo().get(next).then().statusCode(200).extract().jsonPath();
            List<String> uuids = page.getList("events.uuid");
            assertThat(uuids).hasSizeLessThanOrEqualTo(3);
            walked.addAll(uuids);
            String link = page.getString("next");
            if (link == null) {
                next = null;
            } else {
                assertThat(link).contains(path + "?limit=3&marker=" + uuids.get(2));
                URI uri = URI.create(link);
                next = uri.getRawPath() + "?" + uri.getRawQuery();
            }
        }
        assertThat(walked).isEqualTo(all);
        List<String> reversed = new ArrayList<>(all);
        java.util.Collections.reverse(reversed);
        assertThat(Api.asDemo().get(path + "?sort_dir=desc").then().statusCode(200).extract().jsonPath()
                .getList("events.uuid")).isEqualTo(reversed);
    }

    private static Set<String> detailKeys(String path, String uuid, String collection) {
        List<Map<String, Object>> items = Api.asDemo().get(path).then().statusCode(200).extract().jsonPath()
                .getList(collection);
        return items.stream().filter(b -> uuid.equals(b.get("uuid"))).findFirst().orElseThrow().keySet();
    }

    /** Reads the SSE stream to its end (at most four minutes): each {@code data:} line is one event. */
    /**
     * Watches as a client would: when a stream ends before its bay is done (its last comment says so,
     * after {@code baystack.api.watch-max}, 5 s here), watches again from the last event it got.
     */
    private Watched watch(String path) {
        List<JsonNode> events = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        String resource = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String next = path;
        int streams = 0;
        try {
            while (true) {
                streams++;
                HttpRequest request = HttpRequest.newBuilder(base.toURI().resolve(next))
                        .header("X-Auth-Token", LocalCloud.token(LocalCloud.DEMO).id())
                        .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(4)).GET().build();
                HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(request,
                        HttpResponse.BodyHandlers.ofLines());
                String cutAt = null;
                for (String line : (Iterable<String>) response.body()::iterator) {
                    if (line.startsWith("data:")) {
                        events.add(JSON.readTree(line.substring("data:".length())));
                    } else if (line.startsWith(":")) {
                        String comment = line.substring(1).strip();
                        comments.add(comment);
                        if (comment.startsWith("the watch ends")) {
                            cutAt = comment.substring(comment.indexOf("?marker=") + "?marker=".length());
                        }
                    }
                }
                if (cutAt == null || response.statusCode() != 200) {
                    return new Watched(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                            events, comments, streams);
                }
                // the stream names its last event as where to go on from
                assertThat(cutAt).isEqualTo(events.isEmpty() ? (next.contains("?marker=")
                        ? next.substring(next.indexOf("?marker=") + "?marker=".length()) : "")
                        : events.get(events.size() - 1).path("uuid").asText());
                next = resource + (cutAt.isEmpty() ? "" : "?marker=" + cutAt);
            }
        } catch (Exception e) {
            throw new IllegalStateException("watching " + path + ": " + e.getMessage(), e);
        }
    }

    /** One of the bay's progress figures, which must be there as a number. */
    private static int figure(JsonNode bay, String name) {
        JsonNode figure = bay.required("progress").required(name);
        assertThat(figure.isInt()).as("progress.%s in %s", name, bay).isTrue();
        return figure.intValue();
    }
}
