package io.baystack.baymodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.CloudInventory;
import io.baystack.support.LocalCloud;
import io.baystack.support.RecordedSpans;
import io.baystack.support.Rows;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Magnum's create-time checks against the real local Glance, Nova and Neutron (scripts/local-up.sh):
 * what a model or a bay names must exist, as the caller sees it, else Magnum's answer and nothing stored.
 */
@QuarkusTest
class CloudValidationTest {

    @Inject
    Rows rows;

    private static Map<String, Object> model(String name, String field, Object value) {
        Map<String, Object> body = new HashMap<>(Api.baymodel(name, "debian-12"));
        body.put(field, value);
        return body;
    }

    /** POSTs a model with one field changed and expects {@code status} with Magnum's {@code detail}, and no row. */
    private void refused(String field, Object value, int status, String detail) {
        String name = Api.unique("cv");
        Api.asDemo().body(model(name, field, value)).post("/v1/baymodels").then().statusCode(status)
                .body("errors[0].status", equalTo(status))
                .body("errors[0].detail", equalTo(detail));
        assertThat(rows.countNamed("baymodel", name)).as("models stored for " + field).isZero();
    }

    @Test
    void aModelNamingAnImageGlanceDoesNotHaveIsRefused() {
        refused("image_id", "no-such-image", 400, "Image no-such-image could not be found.");
        refused("image_id", "6a0b1c2d-0000-4000-8000-000000000000", 400,
                "Image 6a0b1c2d-0000-4000-8000-000000000000 could not be found.");
    }

    @Test
    void anImageWithoutOsDistroIsRefusedAndOneWithItSetsTheClusterDistro() {
        refused("image_id", "cirros-no-distro", 400, "Image cirros-no-distro doesn't contain os_distro field.");
        String name = Api.unique("cv");
        Api.asDemo().body(model(name, "cluster_distro", "ubuntu")).post("/v1/clustertemplates").then().statusCode(201)
                // the image's os_distro wins over the request, as in Magnum
                .body("cluster_distro", equalTo("debian"));
    }

    @Test
    void onlyImagesOfADistroTheBootstrapRunsOnAreTaken() {
        String detail = "Cluster type (vm, fedora-coreos, kubernetes) not supported: baystack's Kubernetes bootstrap"
                + " runs on images whose os_distro is debian or ubuntu.";
        refused("image_id", "fedora-coreos-38", 400, detail);
        String name = Api.unique("cv");
        Api.asDemo().body(model(name, "image_id", "ubuntu-24.04")).post("/v1/baymodels").then().statusCode(201)
                .body("cluster_distro", equalTo("ubuntu"));
    }

    @Test
    void flavorsKeypairsAndNetworksMustExist() {
        refused("flavor_id", "m1.nope", 400, "Unable to find flavor m1.nope.");
        refused("master_flavor_id", "m9.huge", 400, "Unable to find flavor m9.huge.");
        // Magnum answers 404 for a keypair
        refused("keypair_id", "nokey", 404, "Unable to find keypair nokey.");
        refused("external_network_id", "nowhere", 400, "Unable to find external network nowhere.");
        refused("fixed_network", "no-such-net", 400, "Unable to find fixed network no-such-net.");
        refused("fixed_subnet", "../../etc/passwd", 400, "Unable to find fixed subnet ../../etc/passwd.");
    }

    @Test
    void aKeypairIsItsOwnersAlone() {
        // testkey exists for each local user, otherkey for demo only
        String name = Api.unique("cv");
        Api.as(io.baystack.support.LocalCloud.ALT).body(model(name, "keypair_id", "otherkey")).post("/v1/baymodels")
                .then().statusCode(404).body("errors[0].detail", equalTo("Unable to find keypair otherkey."));
        Api.asDemo().body(model(name, "keypair_id", "otherkey")).post("/v1/baymodels").then().statusCode(201);
    }

    @Test
    void aBayIsCheckedWithItsOwnChoicesAndNothingIsStoredWhenOneIsMissing() {
        String model = Api.createBaymodel(Api.unique("cv"), "debian-12");
        String name = Api.unique("cvc");
        Api.asDemo().body(Map.of("name", name, "cluster_template_id", model, "node_count", 1, "keypair", "nokey"))
                .post("/v1/clusters").then().statusCode(404)
                .body("errors[0].detail", equalTo("Unable to find keypair nokey."));
        Api.asDemo().body(Map.of("name", name, "cluster_template_id", model, "node_count", 1, "flavor_id", "m1.nope"))
                .post("/v1/clusters").then().statusCode(400)
                .body("errors[0].detail", equalTo("Unable to find flavor m1.nope."));
        Api.asDemo().body(Map.of("name", name, "cluster_template_id", model, "node_count", 1,
                        "fixed_subnet", "../../etc/passwd"))
                .post("/v1/clusters").then().statusCode(400)
                .body("errors[0].detail", equalTo("Unable to find fixed subnet ../../etc/passwd."));
        assertThat(rows.countNamed("bay", name)).isZero();
    }

    @Test
    void createsAskingTheSameThingAtOnceShareOneLookUp() {
        // a keypair only this test has made: nothing of it is cached yet; eight bays name it at once
        String model = Api.createBaymodel(Api.unique("cv"), "debian-12");
        String key = Api.unique("cvkey");
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        int made = LocalCloud.send(HttpRequest.newBuilder(URI.create(CloudInventory.NOVA + "/os-keypairs"))
                .header("X-Auth-Token", demo.id()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"keypair\":{\"name\":\"" + key + "\"}}")).build()).statusCode();
        assertThat(made).as("Nova made the keypair").isEqualTo(200);
        // eight threads of their own, released together (the common pool has one thread on two cores)
        java.util.concurrent.ExecutorService eight = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(8);
        try {
            List<CompletableFuture<Integer>> creates = java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        Map<String, Object> body = Map.of("name", Api.unique("cvb"), "cluster_template_id", model,
                                "node_count", 1, "keypair", key);
                        try {
                            together.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        // each request goes on with its own database session once the shared look-up is in
                        return Api.asDemo().body(body).post("/v1/clusters").statusCode();
                    }, eight))
                    .toList();
            assertThat(creates.stream().map(CompletableFuture::join)).as("the eight creates").containsOnly(202);
            long lookups = RecordedSpans.all().stream().filter(s -> s.getKind() == SpanKind.CLIENT
                    && String.valueOf(s.getAttributes().get(AttributeKey.stringKey("url.full"))).endsWith("/os-keypairs/" + key))
                    .count();
            assertThat(lookups).as("look-ups of the keypair in Nova").isEqualTo(1);
        } finally {
            eight.shutdownNow();
            LocalCloud.send(HttpRequest.newBuilder(URI.create(CloudInventory.NOVA + "/os-keypairs/" + key))
                    .header("X-Auth-Token", demo.id()).DELETE().build());
        }
    }
}
