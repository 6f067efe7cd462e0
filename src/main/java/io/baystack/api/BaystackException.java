package io.baystack.api;

/**
 * The one domain error of baystack. It says what went wrong in Magnum's words and which kind of
 * failure it is; {@link ErrorMapper} alone turns the kind into an HTTP status.
 */
public class BaystackException extends RuntimeException {

    public enum Kind {
        INVALID, NOT_AUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, NOT_ACCEPTABLE, TOO_LARGE, TOO_MANY, UNAVAILABLE, INTERNAL
    }

    private final Kind kind;

    public BaystackException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static BaystackException invalid(String message) {
        return new BaystackException(Kind.INVALID, message);
    }

    public static BaystackException notFound(String message) {
        return new BaystackException(Kind.NOT_FOUND, message);
    }

    public static BaystackException forbidden(String message) {
        return new BaystackException(Kind.FORBIDDEN, message);
    }

    public static BaystackException conflict(String message) {
        return new BaystackException(Kind.CONFLICT, message);
    }

    public static BaystackException notAuthenticated(String message) {
        return new BaystackException(Kind.NOT_AUTHENTICATED, message);
    }

    /** Over a per-process limit (open watch streams): 429, retry later. */
    public static BaystackException tooMany(String message) {
        return new BaystackException(Kind.TOO_MANY, message);
    }

    public static BaystackException unavailable(String message) {
        return new BaystackException(Kind.UNAVAILABLE, message);
    }
}
