package io.baystack.bay;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.BaystackException;
import io.baystack.api.Idents;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** A cluster's extra worker groups in PostgreSQL; read here, written only by the bay's transitions. */
@ApplicationScoped
@WithSession
public class NodeGroupRepository implements PanacheRepository<NodeGroup> {

    /** The bay's extra groups, oldest first (those being deleted too). */
    public Uni<List<NodeGroup>> forBay(long bayId) {
        return list("bayId", Sort.by("id"), bayId);
    }

    /** The bay's extra group with this uuid or name; 404 when none. */
    public Uni<NodeGroup> find(Bay bay, String ident) {
        String field = Idents.isUuid(ident) ? "uuid" : "name";
        return find("bayId = :bay and " + field + " = :ident", Parameters.with("bay", bay.id).and("ident", ident))
                .firstResult().map(g -> {
                    if (g == null) {
                        throw BaystackException.notFound("Nodegroup " + ident + " could not be found.");
                    }
                    return g;
                });
    }
}
