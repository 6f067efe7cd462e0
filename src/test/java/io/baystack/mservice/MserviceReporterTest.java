package io.baystack.mservice;

import static io.baystack.config.BaystackConfig.Handoff.Mode.CHANNEL;
import static io.baystack.config.BaystackConfig.Handoff.Mode.NONE;
import static io.baystack.config.BaystackConfig.Handoff.Mode.RABBITMQ;
import static io.baystack.config.BaystackConfig.Handoff.Mode.SINK;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.baystack.support.FastTier;

/** What /v1/mservices says a process runs follows what its configuration makes it run. */
@FastTier
class MserviceReporterTest {

    @Test
    void theStandaloneProcessRunsAllThree() {
        assertThat(MserviceReporter.functionsRun(CHANNEL, false, false, "3s"))
                .containsExactly("baystack-api", "baystack-conductor", "baystack-reconciler");
    }

    @Test
    void anApiOnlyProcessReportsTheApiAlone() {
        // publishing to RabbitMQ, consuming nothing, no timer: the API function behind a broker
        assertThat(MserviceReporter.functionsRun(RABBITMQ, false, false, "off")).containsExactly("baystack-api");
        assertThat(MserviceReporter.functionsRun(SINK, false, false, "off")).containsExactly("baystack-api");
    }

    @Test
    void aConsumerOfTheQueueRunsTheHeatFunctionAndTheTimerTheReconciler() {
        assertThat(MserviceReporter.functionsRun(RABBITMQ, true, false, "off"))
                .containsExactly("baystack-api", "baystack-conductor");
        assertThat(MserviceReporter.functionsRun(NONE, false, false, " 60s "))
                .containsExactly("baystack-api", "baystack-reconciler");
    }

    @Test
    void theKnativeFunctionRoutesServeBoth() {
        assertThat(MserviceReporter.functionsRun(SINK, false, true, "off"))
                .containsExactly("baystack-api", "baystack-conductor", "baystack-reconciler");
    }
}
