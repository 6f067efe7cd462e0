package io.baystack.api;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.baystack.keystone.Caller;
import io.quarkus.panache.common.Parameters;

/** Magnum's "ident": a uuid or a name, looked up within what the caller may see. */
public final class Idents {

    private static final Pattern UUID = Pattern.compile("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");

    private Idents() {
    }

    public static boolean isUuid(String ident) {
        return ident != null && UUID.matcher(ident).matches();
    }

    /**
     * The ident as uuids are stored (lower case, dashed) when it is a uuid, else unchanged: a uuid
     * given in upper case or without dashes names the same object.
     */
    public static String canonical(String ident) {
        if (!isUuid(ident)) {
            return ident;
        }
        String hex = ident.replace("-", "").toLowerCase(Locale.ROOT);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    /** An ident that no object can have (control characters, overlong) is simply not found, without a query. */
    public static void check(String ident, Noun noun) {
        if (ident == null || ident.length() > 255 || Validation.hasControl(ident)) {
            throw noun.notFound(Validation.printable(String.valueOf(ident)));
        }
    }

    /** Query parameter {@code :project} for the caller's visibility filter. */
    public static Parameters scope(Caller caller) {
        return Parameters.with("project", caller.projectId());
    }

    /** The one match of a look-up limited to two rows: none → 404, two → 409 (ambiguous name). */
    public static <T> T single(List<T> found, String kind, String ident, String plural) {
        if (found.isEmpty()) {
            throw BaystackException.notFound(kind + " " + ident + " could not be found.");
        }
        if (found.size() > 1) {
            throw BaystackException.conflict("Multiple " + plural + " exist with same name. Please use the "
                    + kind.toLowerCase() + " uuid instead.");
        }
        return found.get(0);
    }
}
