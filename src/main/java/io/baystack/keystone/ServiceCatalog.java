package io.baystack.keystone;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * baystack's own tokens and what their catalog says: the project-scoped service token (validates
 * users' tokens, is the trustee of every trust, locates Heat) and the system-scoped token (reads
 * stacks of every project). Each is renewed shortly before it expires; nothing here has to survive.
 */
@ApplicationScoped
public class ServiceCatalog {

    private final KeystoneCalls keystone;
    private final SingleFlight<String, ServiceToken> issues = new SingleFlight<>();
    private volatile ServiceToken serviceToken;
    private volatile ServiceToken systemToken;

    ServiceCatalog(KeystoneCalls keystone) {
        this.keystone = keystone;
    }

    /** baystack's token in its service project. */
    Uni<ServiceToken> serviceToken() {
        ServiceToken current = serviceToken;
        if (current != null && current.fresh()) {
            return Uni.createFrom().item(current);
        }
        return issues.call("project", () -> keystone.issue(Map.of("project", Map.of("name", keystone.config.projectName(),
                "domain", Map.of("name", keystone.config.projectDomainName()))))
                .invoke(t -> serviceToken = t));
    }

    /** Drops {@code stale} (Keystone no longer takes it: revoked or rotated) so the next ask issues a new one. */
    void forget(ServiceToken stale) {
        if (serviceToken == stale) {
            serviceToken = null;
        }
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
        return issues.call("system", () -> keystone.issue(Map.of("system", Map.of("all", true)))
                .invoke(t -> systemToken = t)).map(ServiceToken::token);
    }

    /**
     * The orchestration endpoint's base ({@code …/v1}, without the project) from the service catalog;
     * fails with {@link KeystoneException.Kind#UNAVAILABLE} when the catalog has none.
     */
    public Uni<String> orchestrationBase() {
        return serviceToken().map(service -> endpoint(service, "orchestration")
                .map(url -> url.replaceFirst("/(%\\(tenant_id\\)s|%\\(project_id\\)s|\\$\\(tenant_id\\)s|[0-9a-f]{32})/?$", ""))
                .orElseThrow(() -> new KeystoneException(KeystoneException.Kind.UNAVAILABLE,
                        "The Keystone catalog has no orchestration endpoint in region " + keystone.config.region() + ".")));
    }

    /**
     * The public endpoint of a service {@code type} in baystack's region (e.g. {@code image},
     * {@code compute}, {@code network}); fails with {@link KeystoneException.Kind#UNAVAILABLE} when the
     * catalog has none.
     */
    public Uni<String> endpointOf(String type) {
        return serviceToken().map(service -> endpoint(service, type).orElseThrow(() -> new KeystoneException(
                KeystoneException.Kind.UNAVAILABLE, "The Keystone catalog has no " + type + " endpoint in region "
                        + keystone.config.region() + ".")));
    }

    private Optional<String> endpoint(ServiceToken service, String type) {
        return service.catalog() == null ? Optional.empty()
                : service.catalog().stream().filter(c -> type.equals(c.type()))
                        .flatMap(c -> c.endpoints().stream())
                        .filter(e -> "public".equals(e.iface())
                                && (e.region() == null || e.region().equals(keystone.config.region())))
                        .map(KeystonePayloads.Endpoint::url).findFirst();
    }
}
