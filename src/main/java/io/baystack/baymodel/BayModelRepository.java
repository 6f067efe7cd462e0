package io.baystack.baymodel;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.BaystackException;
import io.baystack.api.Idents;
import io.baystack.keystone.Caller;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class BayModelRepository implements PanacheRepository<BayModel> {

    /** Models the caller may use: their project's and public ones. */
    private static final String VISIBLE = "(projectId = :project or isPublic = true)";

    public Uni<List<BayModel>> listVisible(Caller caller) {
        return find(VISIBLE + " order by id", Idents.scope(caller)).list();
    }

    /**
     * The visible model with this uuid or name; NOT_FOUND when none, CONFLICT when a name is
     * shared by several.
     */
    public Uni<BayModel> findVisible(String ident, Caller caller) {
        var params = Idents.scope(caller).and("ident", ident);
        String field = Idents.isUuid(ident) ? "uuid" : "name";
        return find(VISIBLE + " and " + field + " = :ident order by id", params).page(0, 2).list()
                .map(found -> Idents.single(found, "BayModel", ident, "baymodels"));
    }

    public Uni<BayModel> findByUuid(String uuid) {
        return find("uuid", uuid).firstResult();
    }

    public Uni<Boolean> inUse(String uuid) {
        return getSession().chain(s -> s.createSelectionQuery("select count(*) from Bay where baymodelId = :uuid", Long.class)
                .setParameter("uuid", uuid).getSingleResult()).map(n -> n > 0);
    }

    static BaystackException notFound(String ident) {
        return BaystackException.notFound("BayModel " + ident + " could not be found.");
    }
}
