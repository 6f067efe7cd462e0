package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.baystack.support.Api;
import io.baystack.support.FullStandIns;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A bay whose stack outlasts its create timeout. The real Nova's fake driver boots every server at once,
 * so the server that never finishes booting is a stand-in's (image stand-in-hang, heat/standin/server.yaml).
 */
@QuarkusTest
@TestProfile(FullStandIns.class)
class CreateTimeoutTest {

    @Test
    void aStackPastItsCreateTimeoutEndsCreateFailed() {
        // stand-in-hang: the master "boots" for ten minutes; bay_create_timeout 1 becomes Heat's timeout_mins
        String hang = Api.createBaymodel(Api.unique("hang"), "stand-in-hang");
        String name = Api.unique("late");
        String uuid = Api.asDemo().header("OpenStack-API-Version", "container-infra latest")
                .body(Map.of("name", name, "node_count", 1, "baymodel_id", hang, "bay_create_timeout", 1))
                .post("/v1/bays").then().statusCode(202).extract().path("uuid");

        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_FAILED");
        assertThat(bay.getString("status_reason").toLowerCase()).contains("timed out");
        assertThat(bay.getInt("bay_create_timeout")).isEqualTo(1);
        JsonNode stack = LocalCloud.stackDetail(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid),
                bay.getString("stack_id"));
        assertThat(stack.path("timeout_mins").asInt()).isEqualTo(1);
        assertThat(stack.path("stack_status").asText()).isEqualTo("CREATE_FAILED");
    }
}
