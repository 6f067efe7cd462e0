package io.baystack.heat;

/** What went wrong talking to Heat, in terms the conductor can act on. */
public class HeatException extends RuntimeException {

    public enum Kind {
        /** Heat refused the request for good (4xx): a bay create fails with this message. */
        REJECTED,
        /** The stack name is taken (409): look the stack up instead of creating it. */
        CONFLICT,
        /** The stack is busy with another action (409): try again once that action is over. */
        BUSY,
        /** Heat unreachable, too slow, or failing (5xx): worth trying again later. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final boolean maybeApplied;

    public HeatException(Kind kind, String message) {
        this(kind, message, true);
    }

    /**
     * {@code maybeApplied}: whether Heat may still act on the request after this failure: true for a
     * request that got no answer (a timeout, a connection lost mid-call); false when Heat answered (it
     * is done with it) or was never reached (connection refused).
     */
    public HeatException(Kind kind, String message, boolean maybeApplied) {
        super(message, null, false, false);
        this.kind = kind;
        this.maybeApplied = maybeApplied;
    }

    /** Whether Heat may still act on the failed request (it got no answer to it). */
    public boolean maybeApplied() {
        return maybeApplied;
    }

    public Kind kind() {
        return kind;
    }
}
