package io.baystack.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of the tests that need a server stuck in its boot (image stand-in-hang), which the
 * real Nova's fake driver cannot give: {@code heat/env/local.yaml}, every Nova, Neutron and Cinder
 * resource built from a stand-in template. One profile for all of them, so they share one Quarkus boot.
 */
public class FullStandIns implements QuarkusTestProfile {

    public static final String ENVIRONMENT = "heat/env/local.yaml";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baystack.heat.environment", ENVIRONMENT);
    }
}
