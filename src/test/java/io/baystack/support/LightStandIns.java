package io.baystack.support;

/**
 * The test profile's Heat environment ({@code %test.baystack.heat.environment}): the same real Heat,
 * with {@code heat/env/local-light.yaml} (placeholders for everything but the floating IPs), so each
 * bay is about a quarter of the Heat stacks the full stand-ins make. For every test whose subject is
 * baystack's API and hand-off, not the bay's shape; those that are about the shape use {@link FullStandIns}.
 */
public final class LightStandIns {

    public static final String ENVIRONMENT = "heat/env/local-light.yaml";

    private LightStandIns() {
    }
}
