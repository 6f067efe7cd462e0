package io.baystack.keystone;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.baystack.keystone.KeystonePayloads.CatalogEntry;

/** A token of baystack's own, with what came with it. */
record ServiceToken(String token, String userId, Instant expiresAt, List<CatalogEntry> catalog) {

    /** Tokens are renewed this long before Keystone says they expire. */
    static final Duration RENEW_MARGIN = Duration.ofMinutes(2);

    boolean fresh() {
        return Instant.now().plus(RENEW_MARGIN).isBefore(expiresAt);
    }

    /** How long the token may be used from now on (renewal margin taken off). */
    Duration usableFor() {
        return Duration.between(Instant.now(), expiresAt.minus(RENEW_MARGIN));
    }

    @Override
    public String toString() {
        // keeps the token out of logs
        return "ServiceToken[user=" + userId + ", expires=" + expiresAt + "]";
    }
}
