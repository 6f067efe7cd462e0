package io.baystack.support;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads baystack's own tables in the test database: what is stored, beyond what the API shows. */
@ApplicationScoped
public class Rows {

    @Inject
    Pool pool;

    /** The row of {@code table} with this uuid as column name → value, or null when there is none. */
    public Map<String, Object> byUuid(String table, String uuid) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException(table);
        }
        RowSet<Row> rows = pool.preparedQuery("select * from " + table + " where uuid = $1")
                .execute(Tuple.of(uuid)).await().indefinitely();
        if (rows.size() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < row.size(); i++) {
            values.put(row.getColumnName(i), row.getValue(i));
        }
        return values;
    }

    /** How many rows of {@code table} have this name. */
    public long countNamed(String table, String name) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException(table);
        }
        return pool.preparedQuery("select count(*) from " + table + " where name = $1")
                .execute(Tuple.of(name)).await().indefinitely().iterator().next().getLong(0);
    }

    /** Runs one statement (a test's way to stage what a crash would have left behind); returns rows changed. */
    public int execute(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely().rowCount();
    }

    /** How many bays the project has. */
    /** What project_bay_count says the project has (0 without a row). */
    public long projectBayCount(String projectId) {
        var found = pool.preparedQuery("select bays from project_bay_count where project_id = $1").execute(Tuple.of(projectId))
                .await().indefinitely();
        return found.size() == 0 ? 0 : found.iterator().next().getLong(0);
    }

    public long baysOf(String projectId) {
        return pool.preparedQuery("select count(*) from bay where project_id = $1")
                .execute(Tuple.of(projectId)).await().indefinitely().iterator().next().getLong(0);
    }

    /** Masters plus minions of the project's bays. */
    public long nodesOf(String projectId) {
        return pool.preparedQuery("select coalesce(sum(node_count + master_count), 0) from bay where project_id = $1")
                .execute(Tuple.of(projectId)).await().indefinitely().iterator().next().getLong(0);
    }

    /** Whether the bay's master has fetched its CA key (bay_ca.key_fetched_at). */
    public boolean caKeyFetched(String bayUuid) {
        return pool.preparedQuery("select ca.key_fetched_at is not null from bay_ca ca join bay b on b.id = ca.bay_id"
                + " where b.uuid::text = $1").execute(Tuple.of(bayUuid)).await().indefinitely().iterator().next().getBoolean(0);
    }
}
