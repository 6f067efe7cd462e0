package io.baystack.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** {@code baystack.keystone.*}: the Keystone baystack validates tokens against and makes trusts in. */
public interface KeystoneConfig {
    /** Keystone v3 URL, e.g. {@code http://127.0.0.1:5000/v3}. */
    String url();

    /** baystack's service user: validates tokens and is the trustee of every bay's trust. */
    @WithDefault("baystack")
    String username();

    /** Password of the service user. */
    String password();

    /** Domain of the service user. */
    @WithDefault("Default")
    String userDomainName();

    /** Project of the service user's project-scoped token (catalog look-ups, token validation). */
    @WithDefault("service")
    String projectName();

    /** Domain of that project. */
    @WithDefault("Default")
    String projectDomainName();

    /** Region whose orchestration endpoint is used. */
    @WithDefault("RegionOne")
    String region();

    /** How long a validated user token is trusted without asking Keystone again. */
    @WithDefault("60s")
    Duration tokenCacheTtl();

    /** At most this many validated tokens are cached; past it the least used are evicted one by one. */
    @WithDefault("10000")
    int tokenCacheSize();

    /**
     * At most this many per-bay trust tokens are cached (each until shortly before it expires);
     * past it the least used are evicted one by one.
     */
    @WithDefault("1000")
    int trustTokenCacheSize();

    /** HTTP timeout of every Keystone call. */
    @WithDefault("10s")
    Duration timeout();
}
