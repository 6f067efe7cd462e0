package io.baystack.quota;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.BaystackException;
import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.baystack.api.Tenancy;
import io.baystack.api.Policy;
import io.baystack.api.Validation;
import io.baystack.config.BaystackConfig;
import io.baystack.keystone.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * Quotas as Magnum keeps them: admins set a hard limit per project and resource; a project without
 * one gets {@code baystack.quota.max-clusters-per-project}. Bay and cluster creates check it.
 * Transactions are programmatic ({@code Panache.withTransaction} / {@code withSession}), as in every
 * service: BayService needs it (Keystone and the hand-off run outside any transaction), so all do.
 */
@ApplicationScoped
public class QuotaService {

    public static final String CLUSTER = Quota.CLUSTER;

    private final QuotaRepository quotas;
    private final BaystackConfig config;

    QuotaService(QuotaRepository quotas, BaystackConfig config) {
        this.quotas = quotas;
        this.config = config;
    }

    /** A quota's values as the API shows them (a default one has no id). */
    public record Limit(Long id, String projectId, String resource, int hardLimit, Instant createdAt, Instant updatedAt) {
        static Limit of(Quota q) {
            return new Limit(q.id, q.projectId, q.resource, q.hardLimit, q.createdAt, q.updatedAt);
        }
    }

    /** The sort keys of the quota list; its marker is a quota's id (quotas have no uuid). */
    public static final Paging<Quota> PAGING = new Paging<>("id", q -> q.id,
            new Paging.Key<>("id", "id", q -> q.id),
            new Paging.Key<>("project_id", "projectId", q -> q.projectId),
            new Paging.Key<>("resource", "resource", q -> q.resource),
            new Paging.Key<>("hard_limit", "hardLimit", q -> q.hardLimit),
            new Paging.Key<>("created_at", "createdAt", q -> q.createdAt));

    /**
     * A page of quotas (admins): their own project's, as Magnum shows an admin, or every project's with
     * {@code all_tenants}, or one project's with {@code project_id}.
     */
    public Uni<List<Limit>> list(Caller caller, Paging.Page page, String allTenants, String projectId) {
        return Panache.withSession(() -> {
            Policy.requireAdmin(caller, "quota:get_all");
            String scope = Tenancy.listScope(caller, allTenants, projectId, "quota:get_all");
            Parameters params = scope == null ? new Parameters() : Parameters.with("project", scope);
            return PAGING.list(quotas, scope == null ? "1 = 1" : "projectId = :project", params, page, Noun.QUOTA)
                    .map(l -> l.stream().map(Limit::of).toList());
        });
    }

    /** The project's limit for the resource: its own, else the default. Admins, or the project itself. */
    public Uni<Limit> get(String projectId, String resource, Caller caller) {
        return Panache.withSession(() -> {
            Validation.text("project_id", projectId);
            if (!caller.isAdmin() && !caller.projectId().equals(projectId)) {
                throw Policy.denied("quota:get");
            }
            checkResource(resource);
            return quotas.find(projectId, resource).map(q -> q != null ? Limit.of(q)
                    : new Limit(null, projectId, resource, config.quota().maxClustersPerProject(), null, null));
        });
    }

    public Uni<Limit> create(String projectId, String resource, Integer hardLimit, Caller caller) {
        return Panache.withTransaction(() -> {
            Policy.requireAdmin(caller, "quota:create");
            validate(projectId, resource, hardLimit);
            return quotas.find(projectId, resource).chain(existing -> {
                if (existing != null) {
                    throw BaystackException.conflict("Quota for project " + projectId + " already exists for resource "
                            + resource + ".");
                }
                Quota q = new Quota();
                q.projectId = projectId;
                q.resource = resource;
                q.hardLimit = hardLimit;
                q.createdAt = Instant.now();
                return quotas.persist(q).map(Limit::of);
            });
        });
    }

    public Uni<Limit> update(String projectId, String resource, Integer hardLimit, Caller caller) {
        return Panache.withTransaction(() -> {
            Policy.requireAdmin(caller, "quota:update");
            validate(projectId, resource, hardLimit);
            return quotas.find(projectId, resource).map(q -> {
                if (q == null) {
                    throw BaystackException.notFound("Quota for project " + projectId + " and resource " + resource
                            + " could not be found.");
                }
                q.hardLimit = hardLimit;
                q.updatedAt = Instant.now();
                return Limit.of(q);
            });
        });
    }

    public Uni<Void> delete(String projectId, String resource, Caller caller) {
        return Panache.withTransaction(() -> {
            Policy.requireAdmin(caller, "quota:delete");
            Validation.text("project_id", projectId);
            checkResource(resource);
            return quotas.delete("projectId = ?1 and resource = ?2", projectId, resource).map(n -> {
                if (n == 0) {
                    throw BaystackException.notFound("Quota for project " + projectId + " and resource " + resource
                            + " could not be found.");
                }
                return null;
            });
        });
    }

    /**
     * Fails with 403 when a project that now has {@code count} bays, the one being created included, is
     * over its limit: {@code projectQuota} (its own quota, null when it has none), else the configured
     * default. The caller's transaction then rolls back, the new bay with it.
     */
    public void checkWithin(long count, Integer projectQuota) {
        int limit = projectQuota != null ? projectQuota : config.quota().maxClustersPerProject();
        if (count > limit) {
            throw BaystackException.forbidden("You have reached the maximum clusters per project, "
                    + limit + ". You may delete a cluster to make room for a new one.");
        }
    }

    private static void validate(String projectId, String resource, Integer hardLimit) {
        if (projectId == null || projectId.isBlank() || projectId.length() > 64 || Validation.hasControl(projectId)) {
            throw BaystackException.invalid("Invalid input for field/attribute project_id. Mandatory field missing.");
        }
        checkResource(resource);
        if (hardLimit == null || hardLimit < 0) {
            throw BaystackException.invalid("Invalid input for field/attribute hard_limit. Value should be greater or equal to 0.");
        }
    }

    private static void checkResource(String resource) {
        if (!CLUSTER.equals(resource)) {
            throw BaystackException.invalid("Invalid input for field/attribute resource. Value: '"
                    + (resource == null ? "null" : io.baystack.api.Validation.printable(resource))
                    + "'. Value should be one of: Cluster.");
        }
    }
}
