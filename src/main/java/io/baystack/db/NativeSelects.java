package io.baystack.db;

import java.util.List;

import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Keeps baystack's native selects out of Hibernate's query plan cache.
 * <p>
 * Hibernate Reactive 3.2 (the one Quarkus 3.34 brings) wraps a native select's result mapping in a
 * class without {@code equals}, so the cache key of a native select never equals the one stored by
 * its last run: every run planned the statement again and stored one more entry, all under the same
 * hash (its SQL's). After a few thousand creates the plan cache (2 048 entries) held 2 047 copies of
 * the create's statement; each lookup then walked them, and the HQL plans were pushed out and parsed
 * again on every request (a profile of the creates: a tenth of the JVM's time in that walk).
 * <p>
 * Hibernate caches no plan for a query with a list-valued parameter (its SQL depends on the list), so
 * a native select that returns rows binds one: its own ids where it has them (the create's
 * statement), else the condition {@link #uncached} gives, which every row meets (ids are positive).
 * Statements run with {@code executeUpdate} have their own cache, whose keys do compare equal.
 */
public final class NativeSelects {

    /** The parameter {@link #uncached} names and {@link #bind} binds. */
    public static final String PARAM = "not_cached";

    private NativeSelects() {
    }

    /** A condition every row meets ({@code idColumn} holds positive ids) that makes the query list-valued. */
    public static String uncached(String idColumn) {
        return idColumn + " not in (:" + PARAM + ")";
    }

    /** Binds the list {@link #uncached}'s condition names. */
    public static <R> Mutiny.SelectionQuery<R> bind(Mutiny.SelectionQuery<R> query) {
        return query.setParameter(PARAM, List.of(0L));
    }
}
