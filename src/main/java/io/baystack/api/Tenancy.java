package io.baystack.api;

import java.util.Set;

import io.baystack.keystone.Caller;

/**
 * Whose objects a list shows. A user sees their project's; an admin may ask for every project's
 * ({@code ?all_tenants=1}) or one project's ({@code ?project_id=}). The answer is the project to
 * filter on, or null for all.
 */
public final class Tenancy {

    private static final Set<String> TRUE = Set.of("1", "true", "True", "TRUE", "yes");

    private Tenancy() {
    }

    public static String listScope(Caller caller, String allTenants, String projectId, String rule) {
        if (projectId != null && (projectId.length() > 64 || Validation.hasControl(projectId))) {
            throw BaystackException.invalid("Invalid input for query parameter project_id. Value: '"
                    + Validation.printable(projectId) + "'.");
        }
        boolean all = allTenants != null && TRUE.contains(allTenants.trim());
        if (all || (projectId != null && !projectId.equals(caller.projectId()))) {
            Policy.requireAdmin(caller, rule);
        }
        if (projectId != null && !projectId.isBlank()) {
            return projectId;
        }
        return all ? null : caller.projectId();
    }
}
