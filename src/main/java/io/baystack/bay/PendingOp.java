package io.baystack.bay;

/** A change of the bay's stack that is decided and stored but not yet accepted by Heat. */
public enum PendingOp {
    /** Send the bay's node_count to its stack (PATCH). */
    UPDATE,
    /** Delete the bay's stack, then the bay. */
    DELETE
}
