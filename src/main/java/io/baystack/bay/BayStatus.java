package io.baystack.bay;

import java.util.Optional;

/** Heat's stack status vocabulary, which Magnum's bays use as their own. */
public enum BayStatus {
    CREATE_IN_PROGRESS, CREATE_FAILED, CREATE_COMPLETE,
    UPDATE_IN_PROGRESS, UPDATE_FAILED, UPDATE_COMPLETE,
    DELETE_IN_PROGRESS, DELETE_FAILED, DELETE_COMPLETE,
    RESUME_COMPLETE, RESUME_FAILED, RESTORE_COMPLETE,
    ROLLBACK_IN_PROGRESS, ROLLBACK_FAILED, ROLLBACK_COMPLETE,
    SNAPSHOT_COMPLETE, CHECK_COMPLETE, ADOPT_COMPLETE;

    public boolean inProgress() {
        return name().endsWith("_IN_PROGRESS");
    }

    public boolean complete() {
        return name().endsWith("_COMPLETE");
    }

    /** The bay status for a Heat stack status; empty for one Heat may add later. */
    public static Optional<BayStatus> fromHeat(String stackStatus) {
        try {
            return Optional.of(valueOf(stackStatus));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
