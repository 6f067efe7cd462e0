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
}
