package io.baystack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.baystack.bay.Bay;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The real local Heat taken away and brought back (scripts/heat-ctl.sh): a bay accepted meanwhile
 * waits in CREATE_IN_PROGRESS saying what it waits for, then completes with one stack.
 */
@QuarkusTest
@io.baystack.support.ExclusiveTier
class HeatOutageTest {

    @Test
    void aBayAcceptedWhileHeatIsDownCompletesWhenHeatIsBack() throws Exception {
        String model = Api.createBaymodel(Api.unique("outage"), "debian-12");
        String name = Api.unique("outage");
        String uuid;
        heat("stop");
        try {
            uuid = Api.asDemo().header("OpenStack-API-Version", "container-infra latest")
                    .body(Map.of("name", name, "baymodel_id", model, "node_count", 1))
                    .post("/v1/bays").then().statusCode(202).extract().path("uuid");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    String.valueOf((Object) Api.asDemo().get("/v1/bays/" + uuid).then().extract().path("status_reason"))
                            .matches("Waiting for Heat to take the stack create \\(try \\d+ failed, next in \\d+s\\): Heat is unreachable.*"));
            JsonPath waiting = Api.asDemo().get("/v1/bays/" + uuid).then().extract().jsonPath();
            assertThat(waiting.getString("status")).isEqualTo("CREATE_IN_PROGRESS");
            assertThat(waiting.getString("stack_id")).isNull();
        } finally {
            heat("start");
        }
        JsonPath done = Api.awaitFinal(uuid);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("CREATE_COMPLETE");
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).hasSize(1);
    }

    private static void heat(String action) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "scripts/heat-ctl.sh", action).directory(new File("."))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("heat-ctl.sh " + action + ": " + out).isZero();
    }
}
