package io.baystack.bay;

import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A bay as a list page shows it (the summary fields of bays and clusters): read as a projection, so
 * a page of a hundred loads these columns only, not whole entities with their addresses, faults and
 * secrets. Its components are named after {@link Bay}'s fields (Panache projects by those names);
 * Hibernate calls its constructor reflectively, so a native image registers it.
 */
@RegisterForReflection
public record BayListing(String uuid, String name, String baymodelId, String keypair, int nodeCount, int masterCount,
        Integer dockerVolumeSize, Map<String, String> labels, String masterFlavorId, String flavorId, int createTimeout,
        String stackId, BayStatus status, String healthStatus, int groupNodes) {
}
