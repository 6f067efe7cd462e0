package io.baystack.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code baystack.secrets.*}: the key that seals what baystack must keep secret in PostgreSQL (the
 * bays' CA private keys), so that a dump of the database alone reveals none of them.
 */
public interface SecretsConfig {
    /**
     * 32 random bytes, base64 ({@code head -c 32 /dev/urandom | base64}): the AES-256-GCM key every new
     * secret is sealed with. Required; {@code make run} generates one into {@code .local/secrets.key}.
     */
    String key();

    /**
     * Keys a rotation retired: secrets sealed with them are still opened, and re-sealed with
     * {@link #key()} when baystack starts. Drop a key from here once the start-up log says no
     * secret is sealed with it any more.
     */
    Optional<List<String>> previousKeys();
}
