package io.baystack.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of load tests whose subject is baystack's API and hand-off, not the bay's shape:
 * the same real Heat, with {@code heat/env/local-light.yaml} (placeholders for everything but the
 * floating IPs), so each bay is about a quarter of the Heat stacks the full stand-ins make.
 */
public class LightStandIns implements QuarkusTestProfile {

    public static final String ENVIRONMENT = "heat/env/local-light.yaml";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baystack.heat.environment", ENVIRONMENT);
    }
}
