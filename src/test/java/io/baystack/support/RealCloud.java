package io.baystack.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of the tests whose subject is the bay as the cloud builds it: no Heat environment,
 * so the local Heat builds every server, port, floating IP and volume in the real local Nova, Neutron and
 * Cinder (scripts/os/). One profile for all of them, so they share one Quarkus boot.
 */
public class RealCloud implements QuarkusTestProfile {

    /** The real-cloud tier's baystack port (BAYSTACK_TEST_REAL_PORT, else 18089). */
    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("BAYSTACK_TEST_REAL_PORT", "18089"));

    @Override
    public Map<String, String> getConfigOverrides() {
        // empty: no environment is sent with a stack create. A fixed port, so that the masters (the node
        // simulator, scripts/os/node-sim.py) know where to fetch their CA key
        return Map.of("baystack.heat.environment", "",
                "quarkus.http.test-port", String.valueOf(PORT),
                "baystack.api.public-url", "http://127.0.0.1:" + PORT);
    }
}
