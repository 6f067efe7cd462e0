package io.baystack.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * Magnum's list paging: {@code limit} (at most {@link #MAX_LIMIT}), {@code marker} (the uuid of the
 * last item already seen), {@code sort_key} and {@code sort_dir}, and a {@code next} link when a
 * page is full. Pages are cut in the database by key (sort value, then id), so a marker stays valid
 * while rows come and go.
 *
 * @param <T> the entity listed
 */
public final class Paging<T> {

    public static final int MAX_LIMIT = 1000;

    /** A sortable attribute: its API name, its entity field in queries, and how to read it from a row. */
    public record Key<T>(String api, String field, Function<T, Object> value) {
    }

    /** One page request, validated. */
    public record Page(int limit, String marker, String sortKey, boolean descending) {
    }

    private final Map<String, Key<T>> keys = new LinkedHashMap<>();
    private final Function<T, Long> id;
    /** The field a marker names: {@code uuid}, or {@code id} for what has no uuid (quotas). */
    private final String markerField;

    @SafeVarargs
    public Paging(Function<T, Long> id, Key<T>... keys) {
        this("uuid", id, keys);
    }

    @SafeVarargs
    public Paging(String markerField, Function<T, Long> id, Key<T>... keys) {
        this.markerField = markerField;
        this.id = id;
        for (Key<T> key : keys) {
            this.keys.put(key.api(), key);
        }
    }

    /** Reads the query parameters (any may be null); 400 in Magnum's words when one is wrong. */
    public Page page(String limit, String marker, String sortKey, String sortDir) {
        int size = MAX_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                size = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw BaystackException.invalid("Invalid input for query parameter limit. Value: '"
                        + Validation.printable(limit) + "'. Wrong type. Expected 'integer'.");
            }
            if (size <= 0) {
                throw BaystackException.invalid("Limit must be positive");
            }
            size = Math.min(size, MAX_LIMIT);
        }
        String key = sortKey == null || sortKey.isBlank() ? "id" : sortKey;
        if (!keys.containsKey(key)) {
            throw BaystackException.invalid("The sort_key value \"" + Validation.printable(key)
                    + "\" is an invalid field for sorting");
        }
        String dir = sortDir == null || sortDir.isBlank() ? "asc" : sortDir;
        if (!dir.equals("asc") && !dir.equals("desc")) {
            throw BaystackException.invalid("Invalid sort direction: " + Validation.printable(dir)
                    + ". Acceptable values are 'asc' or 'desc'");
        }
        if ("id".equals(markerField)) {
            if (marker != null && !marker.matches("\\d{1,18}")) {
                throw BaystackException.invalid("Invalid input for query parameter marker. Value: '"
                        + Validation.printable(marker) + "'. Wrong type. Expected 'integer'.");
            }
            return new Page(size, marker, key, dir.equals("desc"));
        }
        if (marker != null && !Idents.isUuid(marker)) {
            throw BaystackException.invalid("Invalid input for query parameter marker. Value: '"
                    + Validation.printable(marker) + "'. Expected a UUID.");
        }
        return new Page(size, Idents.canonical(marker), key, dir.equals("desc"));
    }

    /**
     * The query after {@code where} (which names its own parameters in {@code params}) for the page
     * following {@code after} (null for the first page): extra condition plus order by.
     */
    public String query(String where, Page page, T after, Parameters params) {
        Key<T> key = keys.get(page.sortKey());
        String dir = page.descending() ? "desc" : "asc";
        String order = " order by " + key.field() + " " + dir + ", id " + dir;
        if (after == null) {
            return where + order;
        }
        String cmp = page.descending() ? "<" : ">";
        params.and("pageId", id.apply(after));
        if (key.field().equals("id")) {
            return where + " and id " + cmp + " :pageId" + order;
        }
        params.and("pageValue", key.value().apply(after));
        return where + " and (" + key.field() + " " + cmp + " :pageValue or (" + key.field()
                + " = :pageValue and id " + cmp + " :pageId))" + order;
    }

    /** The {@code next} link for a full page, else null. */
    public static <T> String next(List<T> items, Page page, String collectionUrl, Function<T, String> uuid) {
        if (items.size() < page.limit() || items.isEmpty()) {
            return null;
        }
        return collectionUrl + "?limit=" + page.limit() + "&marker=" + uuid.apply(items.get(items.size() - 1))
                + "&sort_key=" + page.sortKey() + "&sort_dir=" + (page.descending() ? "desc" : "asc");
    }

    /**
     * One page from a Panache repository: {@code where} (with {@code params}) selects what the caller
     * may list; the marker must be among it (else 404 in the noun's words).
     */
    public Uni<List<T>> list(PanacheRepositoryBase<T, Long> repository, String where, Parameters params, Page page,
            Noun noun) {
        return after(repository, where, params, page, noun).chain(after -> {
            Parameters all = copy(params);
            return repository.find(query(where, page, after, all), all).page(0, page.limit()).list();
        });
    }

    /**
     * As {@link #list}, each row read as {@code projection} (a record whose components are named after
     * the entity's fields): only those columns are loaded.
     */
    public <R> Uni<List<R>> list(PanacheRepositoryBase<T, Long> repository, String where, Parameters params, Page page,
            Noun noun, Class<R> projection) {
        return after(repository, where, params, page, noun).chain(after -> {
            Parameters all = copy(params);
            return repository.find(query(where, page, after, all), all).project(projection).page(0, page.limit()).list();
        });
    }

    /** The marker's row (null for a first page); 404 when the caller may not list it. */
    private Uni<T> after(PanacheRepositoryBase<T, Long> repository, String where, Parameters params, Page page, Noun noun) {
        return page.marker() == null ? Uni.createFrom().nullItem()
                : repository.find(where + " and " + markerField + " = :marker", copy(params).and("marker", markerValue(page.marker())))
                        .firstResult()
                        .map(found -> {
                            if (found == null) {
                                throw noun.notFound(page.marker());
                            }
                            return found;
                        });
    }

    /** The marker as its field's type: an id is a number (checked by {@link #page}). */
    private Object markerValue(String marker) {
        return "id".equals(markerField) ? (Object) Long.valueOf(marker) : marker;
    }

    private static Parameters copy(Parameters params) {
        Parameters copy = new Parameters();
        params.map().forEach(copy::and);
        return copy;
    }
}
