package io.baystack.keystone;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.config.BaystackConfig;
import io.baystack.keystone.KeystonePayloads.Token;
import io.smallrye.mutiny.Uni;

/**
 * The API side of Keystone: who is behind an {@code X-Auth-Token}. A validated token is cached
 * briefly (never past its expiry); a burst of asks with one uncached token is one Keystone call.
 */
@ApplicationScoped
public class TokenValidator {

    private final KeystoneCalls keystone;
    private final ServiceCatalog catalog;
    private final Duration ttl;
    /** Validated callers, by token digest (the cache never holds a token as a key). */
    private final ExpiringCache<String, Caller> callers;
    /** Validations on their way, by token digest. */
    private final SingleFlight<String, Caller> validations = new SingleFlight<>();

    TokenValidator(KeystoneCalls keystone, ServiceCatalog catalog, BaystackConfig config) {
        this.keystone = keystone;
        this.catalog = catalog;
        this.ttl = config.keystone().tokenCacheTtl();
        this.callers = new ExpiringCache<>(config.keystone().tokenCacheSize());
    }

    /**
     * The caller behind {@code token}; fails with {@link KeystoneException.Kind#UNAUTHORIZED} when
     * Keystone does not take it, {@link KeystoneException.Kind#UNAVAILABLE} when Keystone cannot say.
     */
    public Uni<Caller> validate(String token) {
        String key = digest(token);
        Caller cached = callers.get(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return validations.call(key, () -> askKeystone(token, key));
    }

    private Uni<Caller> askKeystone(String token, String key) {
        Instant now = Instant.now();
        return catalog.serviceToken()
                .chain(service -> keystone.counted("validate", keystone.client.validate(service.token(), token))
                        .onFailure(e -> KeystoneCalls.status(e) == 401).recoverWithUni(() -> {
                            // our own token was revoked or rotated: renew it once
                            catalog.forget(service);
                            return catalog.serviceToken().chain(renewed ->
                                    keystone.counted("validate", keystone.client.validate(renewed.token(), token)));
                        }))
                .map(envelope -> toCaller(envelope.token(), token))
                .onFailure(e -> KeystoneCalls.status(e) == 404 || KeystoneCalls.status(e) == 401)
                .transform(e -> KeystoneException.unauthorized())
                .onFailure().transform(KeystoneException::unavailable)
                .invoke(caller -> {
                    Instant until = now.plus(ttl);
                    callers.put(key, caller, Duration.between(Instant.now(),
                            until.isBefore(caller.expiresAt()) ? until : caller.expiresAt()));
                });
    }

    private static Caller toCaller(Token t, String token) {
        if (t.project() == null) {
            throw new KeystoneException(KeystoneException.Kind.UNAUTHORIZED, "A project-scoped token is required.");
        }
        List<String> roles = t.roles() == null ? List.of() : t.roles().stream().map(KeystonePayloads.Named::name).toList();
        return new Caller(t.user().id(), t.user().name(), t.project().id(), t.project().name(), roles, token,
                Instant.parse(t.expiresAt()));
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
