package io.baystack.keystone;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.config.BaystackConfig;
import io.baystack.keystone.KeystonePayloads.RoleRef;
import io.baystack.keystone.KeystonePayloads.Trust;
import io.baystack.keystone.KeystonePayloads.TrustEnvelope;
import io.smallrye.mutiny.Uni;

/**
 * Per-bay trusts: they let the Heat function act as the user long after the user's token has
 * expired. Trust tokens are cached until shortly before they expire, in a bounded cache (one entry
 * per bay this process touched would otherwise stay forever).
 */
@ApplicationScoped
public class Trusts {

    private static final Logger LOG = Logger.getLogger(Trusts.class);

    private final KeystoneCalls keystone;
    private final ServiceCatalog catalog;
    private final ExpiringCache<String, String> tokens;
    private final SingleFlight<String, ServiceToken> issues = new SingleFlight<>();

    Trusts(KeystoneCalls keystone, ServiceCatalog catalog, BaystackConfig config) {
        this.keystone = keystone;
        this.catalog = catalog;
        this.tokens = new ExpiringCache<>(config.keystone().trustTokenCacheSize());
    }

    /**
     * Creates the bay's trust and returns its id: the caller delegates their roles in their project to
     * baystack's service user, impersonating, and re-delegable once more so that Heat can build its own
     * trust from it. {@code expiresAt} (null: never) also marks the trust as the bay's, for
     * {@link #findMade}. Fails with UNAUTHORIZED, FORBIDDEN (Keystone refused) or UNAVAILABLE.
     */
    public Uni<String> create(Caller caller, Instant expiresAt) {
        return catalog.serviceToken().chain(service -> {
            List<RoleRef> roles = caller.roles().stream().map(RoleRef::new).toList();
            Trust trust = new Trust(null, caller.userId(), service.userId(), caller.projectId(), true, true, roles,
                    expiresAt == null ? null : expiresAt.toString());
            return keystone.counted("create_trust", keystone.client.createTrust(caller.token(), new TrustEnvelope(trust)));
        }).map(created -> created.trust().id())
                .onFailure().transform(e -> refused(e, "create the trust baystack needs to act for you"));
    }

    /**
     * The trust the caller made to baystack's service user in their project that expires exactly at
     * {@code expiresAt}, if Keystone has one: a create whose answer was lost (a crash, a timeout) is
     * found again rather than made twice. Listed with the caller's token; fails as {@link #create}.
     */
    public Uni<Optional<String>> findMade(Caller caller, Instant expiresAt) {
        return catalog.serviceToken().chain(service -> keystone.counted("list_trusts",
                keystone.client.listTrusts(caller.token(), caller.userId()))
                .map(list -> list.trusts() == null ? Optional.<String>empty() : list.trusts().stream()
                        .filter(t -> service.userId().equals(t.trusteeUserId()) && caller.projectId().equals(t.projectId())
                                && t.expiresAt() != null && Instant.parse(t.expiresAt()).equals(expiresAt))
                        .map(Trust::id).findFirst()))
                .onFailure().transform(e -> refused(e, "list the trusts you made to baystack"));
    }

    private static Throwable refused(Throwable e, String what) {
        int status = KeystoneCalls.status(e);
        if (status == 401) {
            return KeystoneException.unauthorized();
        }
        if (status > 0 && status < 500) {
            return new KeystoneException(KeystoneException.Kind.FORBIDDEN,
                    "Keystone refused to " + what + " (HTTP " + status + ").");
        }
        return KeystoneException.unavailable(e);
    }

    /**
     * Who made the trust (its trustor's user id), read with baystack's token as the trust's trustee; empty
     * when Keystone no longer has it. Fails as {@link #create}.
     */
    public Uni<Optional<String>> trustor(String trustId) {
        return catalog.serviceToken()
                .chain(service -> keystone.counted("get_trust", keystone.client.getTrust(service.token(), trustId)))
                .map(found -> Optional.ofNullable(found.trust().trustorUserId()))
                .onFailure(e -> KeystoneCalls.status(e) == 404).recoverWithItem(Optional.empty())
                .onFailure().transform(e -> e instanceof KeystoneException ? e : refused(e, "show a trust made to baystack"));
    }

    /** Removes a bay's trust (best effort: a trust already gone is fine, a failure is logged). */
    public Uni<Void> delete(String trustId) {
        return catalog.serviceToken()
                .chain(service -> keystone.counted("delete_trust", keystone.client.deleteTrust(service.token(), trustId)))
                .onFailure(e -> KeystoneCalls.status(e) == 404).recoverWithNull()
                .onFailure().invoke(e -> LOG.warnf("could not delete trust %s: %s", trustId, e.getMessage()))
                .onFailure().recoverWithNull()
                .invoke(() -> tokens.remove(trustId));
    }

    /** Removes each of the trusts (best effort, as {@link #delete}). */
    public Uni<Void> deleteAll(java.util.List<String> trustIds) {
        return trustIds.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(trustIds.stream().map(this::delete).toList()).andCollectFailures().replaceWithVoid();
    }

    /** A token acting as the trustor of {@code trustId}, in the trust's project; UNAVAILABLE when none can be had. */
    public Uni<String> token(String trustId) {
        String cached = tokens.get(trustId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return issues.call(trustId, () -> keystone.issue(Map.of("OS-TRUST:trust", Map.of("id", trustId)))
                .invoke(t -> tokens.put(trustId, t.token(), t.usableFor())))
                .map(ServiceToken::token);
    }
}
