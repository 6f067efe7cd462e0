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
     * {@code maybeApplied}: whether Heat may have acted, or may still act, on the request. False only
     * when the failure proves it did nothing: a 500/501/503 in Heat's own error body, a 4xx or 429
     * refusal, a connection never made. True for a 502/504 or a bare 5xx page from something in
     * between, a read timeout, a connection reset after the request was sent.
     */
    public HeatException(Kind kind, String message, boolean maybeApplied) {
        super(message, null, false, false);
        this.kind = kind;
        this.maybeApplied = maybeApplied;
    }

    /** Whether Heat may have acted on the failed request: a create's claim is then kept, not given back. */
    public boolean maybeApplied() {
        return maybeApplied;
    }

    public Kind kind() {
        return kind;
    }
}
