package io.baystack.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The fast tier's profile: PostgreSQL only. Nothing runs by itself (no periodic round, no hand-off,
 * no service report), so a test may stage any bay row and be the only one to change it; nothing here
 * calls Heat or Keystone.
 */
public class NoCloud implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baystack.reconciler.interval", "off",
                "baystack.handoff.mode", "none",
                "baystack.mservices.report-interval", "off");
    }
}
