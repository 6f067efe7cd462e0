package io.baystack.keystone;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;

import io.baystack.api.BaystackException;
import io.baystack.config.BaystackConfig;
import io.baystack.keystone.KeystonePayloads.CatalogEntry;
import io.baystack.keystone.KeystonePayloads.RoleRef;
import io.baystack.keystone.KeystonePayloads.Token;
import io.baystack.keystone.KeystonePayloads.TokenEnvelope;
import io.baystack.keystone.KeystonePayloads.Trust;
import io.baystack.keystone.KeystonePayloads.TrustEnvelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * Everything baystack asks of Keystone: validating callers' tokens (cached briefly), its own
 * system-scoped service token, and per-bay trusts that let the Heat function act as the user long
 * after the user's token has expired. The caches only save calls; nothing in them has to survive.
 */
@ApplicationScoped
public class Keystone {

    private static final Logger LOG = Logger.getLogger(Keystone.class);
    /** Tokens are renewed this long before Keystone says they expire. */
    private static final Duration RENEW_MARGIN = Duration.ofMinutes(2);

    /** A token of baystack's own, with what came with it. */
    public record ServiceToken(String token, String userId, Instant expiresAt, List<CatalogEntry> catalog) {
        boolean fresh() {
            return Instant.now().plus(RENEW_MARGIN).isBefore(expiresAt);
        }
    }

    private record CachedCaller(Caller caller, Instant until) {
    }

    private final BaystackConfig.Keystone config;
    private final KeystoneRestClient client;
    private final Map<String, CachedCaller> callers = new ConcurrentHashMap<>();
    private final Map<String, ServiceToken> trustTokens = new ConcurrentHashMap<>();
    private volatile ServiceToken serviceToken;
    private volatile ServiceToken systemToken;
    /** Validations on their way, by token digest; tokens of baystack's own, by scope. */
    private final SingleFlight<String, Caller> validations = new SingleFlight<>();
    private final SingleFlight<String, ServiceToken> issues = new SingleFlight<>();
    private final MeterRegistry registry;

    Keystone(BaystackConfig config, MeterRegistry registry) {
        this.registry = registry;
        this.config = config.keystone();
        this.client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(this.config.url()))
                .connectTimeout(this.config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(KeystoneRestClient.class);
    }

    /** The caller behind {@code token}, or NOT_AUTHENTICATED; UNAVAILABLE when Keystone cannot say. */
    public Uni<Caller> validate(String token) {
        String key = digest(token);
        CachedCaller cached = callers.get(key);
        if (cached != null && Instant.now().isBefore(cached.until())) {
            return Uni.createFrom().item(cached.caller());
        }
        return validations.call(key, () -> askKeystone(token, key));
    }

    private Uni<Caller> askKeystone(String token, String key) {
        Instant now = Instant.now();
        return serviceToken()
                .chain(service -> counted("validate", client.validate(service.token(), token)))
                .onFailure(this::isStatus401).recoverWithUni(() -> {
                    // our own token was revoked or rotated: renew it once
                    serviceToken = null;
                    return serviceToken().chain(service -> counted("validate", client.validate(service.token(), token)));
                })
                .map(envelope -> toCaller(envelope.token(), token))
                .onFailure(WebApplicationException.class).transform(e -> {
                    int status = ((WebApplicationException) e).getResponse().getStatus();
                    if (status == 404 || status == 401) {
                        return BaystackException.notAuthenticated("The request you have made requires authentication.");
                    }
                    return unavailable(e);
                })
                .onFailure(f -> !(f instanceof BaystackException)).transform(this::unavailable)
                .invoke(caller -> {
                    if (callers.size() >= config.tokenCacheSize()) {
                        callers.clear();
                    }
                    Instant until = now.plus(config.tokenCacheTtl());
                    callers.put(key, new CachedCaller(caller, until.isBefore(caller.expiresAt()) ? until : caller.expiresAt()));
                });
    }

    /** baystack's token in its service project: validates users' tokens; its catalog locates Heat. */
    public Uni<ServiceToken> serviceToken() {
        ServiceToken current = serviceToken;
        if (current != null && current.fresh()) {
            return Uni.createFrom().item(current);
        }
        return issues.call("project", () -> issue(Map.of("project", Map.of("name", config.projectName(),
                "domain", Map.of("name", config.projectDomainName()))))
                .invoke(t -> serviceToken = t));
    }

    /**
     * baystack's system-scoped token: reads stacks of every project (one list call per reconciler
     * round). Its catalog has no project endpoints, hence the two tokens.
     */
    public Uni<String> systemToken() {
        ServiceToken current = systemToken;
        if (current != null && current.fresh()) {
            return Uni.createFrom().item(current.token());
        }
        return issues.call("system", () -> issue(Map.of("system", Map.of("all", true)))
                .invoke(t -> systemToken = t)).map(ServiceToken::token);
    }

    /** A token acting as the trustor of {@code trustId}, in the trust's project. */
    public Uni<String> trustToken(String trustId) {
        ServiceToken cached = trustTokens.get(trustId);
        if (cached != null && cached.fresh()) {
            return Uni.createFrom().item(cached.token());
        }
        return issues.call("trust " + trustId, () -> issue(Map.of("OS-TRUST:trust", Map.of("id", trustId)))
                .invoke(t -> trustTokens.put(trustId, t)))
                .map(ServiceToken::token);
    }

    /**
     * Creates the bay's trust: the caller delegates their roles in their project to baystack's service
     * user, impersonating, and re-delegable once more so that Heat can build its own trust from it.
     */
    public Uni<String> createTrust(Caller caller) {
        return serviceToken().chain(service -> {
            List<RoleRef> roles = caller.roles().stream().map(RoleRef::new).toList();
            Trust trust = new Trust(null, caller.userId(), service.userId(), caller.projectId(), true, true, roles);
            return counted("create_trust", client.createTrust(caller.token(), new TrustEnvelope(trust)));
        }).map(created -> created.trust().id())
                .onFailure(WebApplicationException.class).transform(e -> {
                    int status = ((WebApplicationException) e).getResponse().getStatus();
                    if (status == 401) {
                        return BaystackException.notAuthenticated("The request you have made requires authentication.");
                    }
                    if (status >= 500) {
                        return unavailable(e);
                    }
                    return new BaystackException(BaystackException.Kind.FORBIDDEN,
                            "Keystone refused to create the trust baystack needs to act for you (HTTP " + status + ").");
                })
                .onFailure(f -> !(f instanceof BaystackException)).transform(this::unavailable);
    }

    /** Removes a bay's trust (best effort: a trust already gone is fine). */
    public Uni<Void> deleteTrust(String trustId) {
        return serviceToken().chain(service -> counted("delete_trust", client.deleteTrust(service.token(), trustId)))
                .onFailure().invoke(e -> LOG.warnf("could not delete trust %s: %s", trustId, e.getMessage()))
                .onFailure().recoverWithNull()
                .invoke(() -> trustTokens.remove(trustId));
    }

    /** The orchestration endpoint's base ({@code …/v1}, without the project) from the service catalog. */
    public Uni<String> orchestrationBase() {
        return serviceToken().map(service -> endpoint(service, "orchestration")
                .map(url -> url.replaceFirst("/(%\\(tenant_id\\)s|%\\(project_id\\)s|\\$\\(tenant_id\\)s|[0-9a-f]{32})/?$", ""))
                .orElseThrow(() -> BaystackException.unavailable(
                        "The Keystone catalog has no orchestration endpoint in region " + config.region() + ".")));
    }

    private Optional<String> endpoint(ServiceToken service, String type) {
        return service.catalog() == null ? Optional.empty()
                : service.catalog().stream().filter(c -> type.equals(c.type()))
                        .flatMap(c -> c.endpoints().stream())
                        .filter(e -> "public".equals(e.iface())
                                && (e.region() == null || e.region().equals(config.region())))
                        .map(KeystonePayloads.Endpoint::url).findFirst();
    }

    private Uni<ServiceToken> issue(Map<String, Object> scope) {
        Map<String, Object> user = Map.of("name", config.username(), "password", config.password(),
                "domain", Map.of("name", config.userDomainName()));
        Map<String, Object> body = Map.of("auth", Map.of(
                "identity", Map.of("methods", List.of("password"), "password", Map.of("user", user)),
                "scope", scope));
        return counted("token", client.issue(body)).map(response -> {
            Token token = response.getEntity().token();
            String value = response.getHeaderString(KeystoneRestClient.SUBJECT);
            return new ServiceToken(value, token.user().id(), Instant.parse(token.expiresAt()), token.catalog());
        }).onFailure().transform(e -> {
            LOG.warnf("Keystone refused or did not answer a token request for baystack's service user: %s", e.getMessage());
            return unavailable(e);
        });
    }

    /** Counts one call to Keystone by kind and outcome [{@code baystack_keystone_calls_total}]. */
    private <T> Uni<T> counted(String call, Uni<T> request) {
        return request.onItemOrFailure().invoke((item, failure) -> Counter.builder("baystack.keystone.calls")
                .description("Calls baystack made to Keystone, by kind and outcome")
                .tags("call", call, "outcome", failure == null ? "success" : outcomeOf(failure))
                .register(registry).increment());
    }

    private static String outcomeOf(Throwable failure) {
        return failure instanceof WebApplicationException w ? "http_" + w.getResponse().getStatus() : "unreachable";
    }

    private static Caller toCaller(Token t, String token) {
        if (t.project() == null) {
            throw BaystackException.notAuthenticated("A project-scoped token is required.");
        }
        List<String> roles = t.roles() == null ? List.of() : t.roles().stream().map(KeystonePayloads.Named::name).toList();
        return new Caller(t.user().id(), t.user().name(), t.project().id(), t.project().name(), roles, token,
                Instant.parse(t.expiresAt()));
    }

    private boolean isStatus401(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse().getStatus() == 401;
    }

    private BaystackException unavailable(Throwable e) {
        if (e instanceof BaystackException b) {
            return b;
        }
        return BaystackException.unavailable("The identity service is unavailable: " + e.getMessage());
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
