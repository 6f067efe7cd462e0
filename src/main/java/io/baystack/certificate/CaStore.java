package io.baystack.certificate;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.db.NativeSelects;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The {@code bay_ca} table: one CA per bay, its key sealed. Runs in the caller's session or
 * transaction (each method asks Panache for the current one).
 */
@ApplicationScoped
class CaStore {

    /** A stored CA as read: the key still sealed. */
    record Row(long bayId, String bayUuid, String certPem, String keySealed, int generation) {
    }

    private static final String SELECT = "select c.bay_id, b.uuid, c.cert_pem, c.key_sealed, c.generation from bay_ca c"
            + " join bay b on b.id = c.bay_id";

    Uni<Row> find(long bayId) {
        return rows(SELECT + " where c.bay_id = :id and " + NativeSelects.uncached("c.bay_id"), "id", bayId, 1)
                .map(r -> r.isEmpty() ? null : r.get(0));
    }

    /** Stores a bay's first CA unless it has one already (a racing first wins; the caller reads again). */
    Uni<Void> insertIfAbsent(long bayId, String certPem, String keySealed) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into bay_ca (bay_id, cert_pem, key_sealed)"
                + " select id, :cert, :key from bay where id = :id on conflict (bay_id) do nothing")
                .setParameter("id", bayId).setParameter("cert", certPem).setParameter("key", keySealed).executeUpdate())
                .replaceWithVoid();
    }

    /** Replaces a bay's CA by a new one (a rotation); the bay gets one if it had none. */
    Uni<Void> replace(long bayId, String certPem, String keySealed) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into bay_ca (bay_id, cert_pem, key_sealed)"
                + " values (:id, :cert, :key) on conflict (bay_id) do update set cert_pem = excluded.cert_pem,"
                + " key_sealed = excluded.key_sealed, generation = bay_ca.generation + 1, rotated_at = clock_timestamp()")
                .setParameter("id", bayId).setParameter("cert", certPem).setParameter("key", keySealed).executeUpdate())
                .replaceWithVoid();
    }

    /** A CA with its bay's status, for the master's key fetch. */
    record ForFetch(Row ca, String status) {
    }

    /** The CA of the bay with this uuid and the bay's status (locked to the transaction's end), or null. */
    Uni<ForFetch> findForFetch(String bayUuid) {
        return Panache.getSession().chain(s -> NativeSelects.bind(s.createNativeQuery("select c.bay_id, b.uuid, c.cert_pem,"
                + " c.key_sealed, c.generation, b.status from bay_ca c join bay b on b.id = c.bay_id where b.uuid = :uuid and "
                + NativeSelects.uncached("c.bay_id") + " for update of c", Object[].class))
                .setParameter("uuid", bayUuid).getResultList())
                .map(found -> found.isEmpty() ? null : new ForFetch(new Row(((Number) found.get(0)[0]).longValue(),
                        (String) found.get(0)[1], (String) found.get(0)[2], (String) found.get(0)[3],
                        ((Number) found.get(0)[4]).intValue()), String.valueOf(found.get(0)[5])));
    }

    /** Records the CA key's one fetch; false when it was fetched before. */
    Uni<Boolean> markKeyFetched(long bayId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "update bay_ca set key_fetched_at = clock_timestamp() where bay_id = :id and key_fetched_at is null")
                .setParameter("id", bayId).executeUpdate()).map(n -> n == 1);
    }

    /** Up to {@code limit} CAs whose key is sealed under another key than {@code keyId}. */
    Uni<List<Row>> sealedWithOtherKey(String keyId, int limit) {
        return rows(SELECT + " where c.key_sealed not like :prefix and " + NativeSelects.uncached("c.bay_id")
                + " order by c.bay_id", "prefix", "gcm1:" + keyId + ":%",
                limit);
    }

    /** Re-seals one CA's key, unless it changed since it was read. */
    Uni<Integer> reseal(long bayId, String oldSealed, String newSealed) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "update bay_ca set key_sealed = :new where bay_id = :id and key_sealed = :old").setParameter("id", bayId)
                .setParameter("old", oldSealed).setParameter("new", newSealed).executeUpdate());
    }

    private Uni<List<Row>> rows(String sql, String name, Object value, int limit) {
        return Panache.getSession().chain(s -> NativeSelects.bind(s.createNativeQuery(sql + " limit " + limit, Object[].class))
                .setParameter(name, value).getResultList())
                .map(found -> found.stream().map(r -> new Row(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                        (String) r[3], ((Number) r[4]).intValue())).toList());
    }
}
