package io.baystack.observability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Keystone and Heat configured at a port nobody listens on: not ready, with the reason; still alive. */
@QuarkusTest
@TestProfile(ReadinessDownTest.DeadCloud.class)
class ReadinessDownTest {

    public static class DeadCloud implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String dead = "http://127.0.0.1:" + closedPort();
            return Map.of("baystack.heat.endpoint-override", dead + "/v1",
                    "baystack.keystone.url", dead + "/v3",
                    "baystack.reconciler.interval", "off",
                    "baystack.mservices.report-interval", "off");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void heatAndKeystoneUnreachableMakeBaystackUnreadyButAlive() {
        // the check names the root it probed: the override's, without the version path
        String heat = ConfigProvider.getConfig().getValue("baystack.heat.endpoint-override", String.class);
        String heatRoot = heat.substring(0, heat.length() - "v1".length());
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'heat' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'heat' }.data.url", equalTo(heatRoot))
                .body("checks.find { it.name == 'heat' }.data.reason", containsString("Connection refused"))
                .body("checks.find { it.name == 'keystone' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'keystone' }.data.reason", containsString("Connection refused"))
                // PostgreSQL is there: only the two services are down
                .body("checks.findAll { it.status == 'UP' }.name", hasItem(containsString("Reactive PostgreSQL")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theBayGaugesShowWithoutAReconcilerRound() {
        // no round runs in this profile: the gauges are there from the start, at 0
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("baystack_bays{status=\"CREATE_COMPLETE\"} 0.0"))
                .body(containsString("baystack_bays_awaiting_heat 0.0"));
    }
}
