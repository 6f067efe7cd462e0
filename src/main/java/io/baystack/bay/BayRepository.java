package io.baystack.bay;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.Idents;
import io.baystack.keystone.Caller;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * Bays in PostgreSQL. The conductor and the reconciler never overwrite each other: each update
 * names the state it expects (no stack yet, or the status it read) and changes nothing otherwise.
 */
@ApplicationScoped
@WithSession
public class BayRepository implements PanacheRepository<Bay> {

    public Uni<List<Bay>> listVisible(Caller caller) {
        return find("projectId = :project order by id", Idents.scope(caller)).list();
    }

    public Uni<Bay> findVisible(String ident, Caller caller) {
        String field = Idents.isUuid(ident) ? "uuid" : "name";
        return find("projectId = :project and " + field + " = :ident order by id",
                Idents.scope(caller).and("ident", ident)).page(0, 2).list()
                .map(found -> Idents.single(found, "Bay", ident, "bays"));
    }

    public Uni<Bay> findByUuid(String uuid) {
        return find("uuid", uuid).firstResult();
    }

    /** Accepted bays the Heat function has not yet given a stack, untouched since {@code before}. */
    public Uni<List<Bay>> awaitingStack(Instant before, int limit) {
        return find("status = :status and stackId is null and coalesce(updatedAt, createdAt) < :before order by id",
                Parameters.with("status", BayStatus.CREATE_IN_PROGRESS).and("before", before)).page(0, limit).list();
    }

    /** Bays whose stack Heat is still working on. */
    public Uni<List<Bay>> inProgressWithStack(int limit) {
        return find("status in :statuses and stackId is not null order by updatedAt nulls first, id",
                Parameters.with("statuses", List.of(BayStatus.CREATE_IN_PROGRESS, BayStatus.UPDATE_IN_PROGRESS,
                        BayStatus.DELETE_IN_PROGRESS, BayStatus.ROLLBACK_IN_PROGRESS))).page(0, limit).list();
    }

    /** Records the stack Heat accepted; false when the bay already had one. */
    @WithTransaction
    public Uni<Boolean> recordStack(long id, String stackId) {
        return update("stackId = ?1, statusReason = ?2, updatedAt = ?3 where id = ?4 and stackId is null",
                stackId, "Stack " + stackId + " accepted by Heat", Instant.now(), id).map(n -> n == 1);
    }

    /** Heat refused to create the stack for good: the bay fails with Heat's reason. */
    @WithTransaction
    public Uni<Boolean> failBeforeStack(long id, String reason) {
        return update("status = ?1, statusReason = ?2, updatedAt = ?3 where id = ?4 and stackId is null and status = ?5",
                BayStatus.CREATE_FAILED, reason, Instant.now(), id, BayStatus.CREATE_IN_PROGRESS).map(n -> n == 1);
    }

    /** Says what the hand-off is waiting for; the bay stays in progress and is retried later. */
    @WithTransaction
    public Uni<Boolean> noteWaiting(long id, String reason) {
        return update("statusReason = ?1, updatedAt = ?2 where id = ?3 and stackId is null and status = ?4",
                reason, Instant.now(), id, BayStatus.CREATE_IN_PROGRESS).map(n -> n == 1);
    }

    /** Mirrors Heat's status if the bay is still in the status the reconciler read. */
    @WithTransaction
    public Uni<Boolean> mirror(long id, BayStatus expected, BayStatus status, String reason) {
        return update("status = ?1, statusReason = ?2, updatedAt = ?3 where id = ?4 and status = ?5",
                status, reason, Instant.now(), id, expected).map(n -> n == 1);
    }

    /** Mirrors a completed stack: status, reason and the addresses from its outputs. */
    @WithTransaction
    public Uni<Boolean> complete(long id, BayStatus expected, BayStatus status, String reason, String apiAddress,
            List<String> masters, List<String> nodes) {
        return findById(id).chain(bay -> {
            if (bay == null || bay.status != expected) {
                return Uni.createFrom().item(false);
            }
            bay.status = status;
            bay.statusReason = reason;
            bay.apiAddress = apiAddress;
            bay.masterAddresses = masters;
            bay.nodeAddresses = nodes;
            bay.updatedAt = Instant.now();
            return Uni.createFrom().item(true);
        });
    }
}
