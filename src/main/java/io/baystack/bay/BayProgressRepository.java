package io.baystack.bay;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.JsonColumns;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** The bays' progress in PostgreSQL: one row a bay, replaced at each reconciler look. */
@ApplicationScoped
@WithSession
public class BayProgressRepository implements PanacheRepositoryBase<BayProgress, Long> {

    /** Replaces the bay's progress (a bay deleted meanwhile makes this fail: the caller's round moves on). */
    @WithTransaction
    public Uni<Void> store(BayProgress p) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into bay_progress (bay_id, total, complete,"
                + " in_progress, failed, pending, updated_at) values (:bay, :total, :complete, :running, :failed, :pending,"
                + " clock_timestamp()) on conflict (bay_id) do update set total = excluded.total, complete = excluded.complete,"
                + " in_progress = excluded.in_progress, failed = excluded.failed, pending = excluded.pending,"
                + " updated_at = excluded.updated_at")
                .setParameter("bay", p.bayId).setParameter("total", p.total).setParameter("complete", p.complete)
                .setParameter("running", p.inProgress).setParameter("failed", p.failed)
                .setParameter("pending", new JsonColumns.StringList().convertToDatabaseColumn(p.pending))
                .executeUpdate()).replaceWithVoid();
    }

    /** When the bay's progress was last measured; null when never. */
    public Uni<Instant> measuredAt(long bayId) {
        return findById(bayId).map(p -> p == null ? null : p.updatedAt);
    }
}
