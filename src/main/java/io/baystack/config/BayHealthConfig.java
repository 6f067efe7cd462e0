package io.baystack.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * {@code baystack.bay-health.*}: the status sync's check of each finished bay's Kubernetes API
 * ({@code /readyz} and the nodes' Ready condition, with a client certificate of the bay's CA).
 */
public interface BayHealthConfig {
    /** How often a bay is checked; {@code off} never. */
    @WithDefault("60s")
    String interval();

    /** Bays checked at once. */
    @WithDefault("4")
    int concurrency();

    /** At most this many bays are checked per round (the longest unchecked first). */
    @WithDefault("20")
    int batch();

    /** How long one call to a bay's API may take before the bay is UNKNOWN. */
    @WithDefault("5s")
    Duration timeout();
}
