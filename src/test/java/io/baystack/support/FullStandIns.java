package io.baystack.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of the tests whose subject is the bay's shape in Heat (its resources, their
 * progress and events, a server that fails or hangs: images stand-in-fail and stand-in-hang), with
 * {@code heat/env/local.yaml}: every Nova, Neutron and Cinder resource built from a stand-in template.
 * One profile for all of them, so they share one Quarkus boot.
 */
public class FullStandIns implements QuarkusTestProfile {

    public static final String ENVIRONMENT = "heat/env/local.yaml";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baystack.heat.environment", ENVIRONMENT);
    }
}
