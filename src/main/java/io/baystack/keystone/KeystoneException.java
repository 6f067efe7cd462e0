package io.baystack.keystone;

/**
 * What went wrong with Keystone, in terms a caller can act on. It carries no HTTP type: the API's
 * error mapper turns the kind into Magnum's answer (401, 403, 503).
 */
public class KeystoneException extends RuntimeException {

    public enum Kind {
        /** The token is missing, unknown, expired or not project-scoped. */
        UNAUTHORIZED,
        /** Keystone refused what the caller asked for (e.g. a trust of roles they do not have). */
        FORBIDDEN,
        /** Keystone is unreachable, failing, or lacks what baystack needs (e.g. a catalog entry). */
        UNAVAILABLE
    }

    private final Kind kind;

    public KeystoneException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static KeystoneException unauthorized() {
        return new KeystoneException(Kind.UNAUTHORIZED, "The request you have made requires authentication.");
    }

    /** {@code e} as an unavailable identity service, unless it already says what went wrong. */
    static KeystoneException unavailable(Throwable e) {
        return e instanceof KeystoneException k ? k
                : new KeystoneException(Kind.UNAVAILABLE, "The identity service is unavailable: " + e.getMessage());
    }
}
