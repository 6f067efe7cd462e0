package io.baystack.support;

import java.util.UUID;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Rows a test stages straight in PostgreSQL, for the tests of what happens to them (no API, no Heat). */
public final class Staged {

    private Staged() {
    }

    /** A bay model row (the few columns a bay's foreign key and its readers need); answers its uuid. */
    public static String model(Pool pool, String name) {
        String uuid = UUID.randomUUID().toString();
        pool.preparedQuery("insert into baymodel (uuid, name, project_id, user_id, coe, image_id, created_at)"
                + " values ($1, $2, 'p', 'u', 'kubernetes', 'img', now())").execute(Tuple.of(uuid, name)).await().indefinitely();
        return uuid;
    }

    /**
     * A bay row of the demo project as its stack left it: {@code status}, its API at {@code api}, made
     * {@code age} ago (on the database's clock); answers its uuid.
     */
    public static String bay(Pool pool, String model, String prefix, String status, String api, java.time.Duration age) {
        String uuid = UUID.randomUUID().toString();
        String name = prefix + "-" + uuid.substring(0, 8);
        String project = LocalCloud.token(LocalCloud.DEMO).projectId();
        pool.preparedQuery("insert into bay (uuid, name, project_id, user_id, baymodel_id, node_count, master_count,"
                + " create_timeout, stack_name, stack_id, status, api_address, created_at, updated_at)"
                + " values ($1, $2, $3, 'u', $4, 2, 1, 60, $5, $6, $7, $8, now() - make_interval(secs => $9), now())")
                .execute(Tuple.tuple(java.util.List.of(uuid, name, project, model, io.baystack.bay.Bay.stackNameFor(name, uuid),
                        UUID.randomUUID().toString(), status, api == null ? "" : api, (double) age.toSeconds())))
                .await().indefinitely();
        return uuid;
    }
}
