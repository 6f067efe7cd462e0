package io.baystack.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of the tests whose subject is the bay as the cloud builds it: no Heat environment,
 * so the local Heat builds every server, port, floating IP and volume in the real local Nova, Neutron and
 * Cinder (scripts/os/). One profile for all of them, so they share one Quarkus boot.
 */
public class RealCloud implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // empty: no environment is sent with a stack create
        return Map.of("baystack.heat.environment", "");
    }
}
