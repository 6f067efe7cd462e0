package io.baystack.baymodel;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.Idents;
import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.baystack.keystone.Caller;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class BayModelRepository implements PanacheRepository<BayModel> {

    /** Models the caller may use: their project's and public ones. */
    private static final String VISIBLE = "(projectId = :project or isPublic = true)";

    /** The sort keys of model lists (bay models and cluster templates alike). */
    public static final Paging<BayModel> PAGING = new Paging<>(m -> m.id,
            new Paging.Key<>("id", "id", m -> m.id),
            new Paging.Key<>("uuid", "uuid", m -> m.uuid),
            new Paging.Key<>("name", "name", m -> m.name),
            new Paging.Key<>("coe", "coe", m -> m.coe),
            new Paging.Key<>("image_id", "imageId", m -> m.imageId),
            new Paging.Key<>("created_at", "createdAt", m -> m.createdAt));


    /**
     * One page of the models of {@code project} and the public ones (null: every model); the marker
     * must be one of them (else 404).
     */
    public Uni<List<BayModel>> list(String project, boolean withHidden, Paging.Page page, Noun noun) {
        Parameters params = project == null ? new Parameters() : Parameters.with("project", project);
        String where = (project == null ? "1 = 1" : VISIBLE) + (withHidden ? "" : " and hidden = false");
        return PAGING.list(this, where, params, page, noun);
    }

    /**
     * The visible model with this uuid (in any case, dashed or not) or name; NOT_FOUND when none,
     * CONFLICT when a name is shared by several; messages use the ident the caller gave.
     */
    public Uni<BayModel> findVisible(String ident, Caller caller, Noun noun) {
        Idents.check(ident, noun);
        var params = Idents.scope(caller).and("ident", Idents.canonical(ident));
        String field = Idents.isUuid(ident) ? "uuid" : "name";
        return find(VISIBLE + " and " + field + " = :ident order by id", params).page(0, 2).list()
                .map(found -> Idents.single(found, noun.singular(), ident, noun.plural()));
    }

    public Uni<BayModel> findByUuid(String uuid) {
        return find("uuid", uuid).firstResult();
    }

    public Uni<Boolean> inUse(String uuid) {
        return getSession().chain(s -> s.createSelectionQuery("select count(*) from Bay where baymodelId = :uuid", Long.class)
                .setParameter("uuid", uuid).getSingleResult()).map(n -> n > 0);
    }
}
