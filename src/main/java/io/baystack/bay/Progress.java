package io.baystack.bay;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.Timestamps;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How far a bay's stack is, as {@code GET /v1/bays/{ident}/progress} and the bay's detail
 * ({@code "progress"}) show it: its Heat resources, nested ones included, by state, as the reconciler
 * last saw them ({@code updated_at}; null when it has not looked yet, e.g. a bay Heat has no stack for).
 * {@code percent} is complete / total. Nested stacks add their resources once Heat starts them, so
 * total may grow while a bay is built.
 */
@RegisterForReflection
public record Progress(
        int total,
        int complete,
        @JsonProperty("in_progress") int inProgress,
        int failed,
        int pending,
        int percent,
        @JsonProperty("pending_resources") List<String> pendingResources,
        @JsonProperty("updated_at") String updatedAt) {

    /** Nothing measured yet. */
    public static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0, List.of(), null);

    public static Progress of(BayProgress p) {
        if (p == null) {
            return NONE;
        }
        int pending = Math.max(0, p.total - p.complete - p.inProgress - p.failed);
        int percent = p.total == 0 ? 0 : p.complete * 100 / p.total;
        return new Progress(p.total, p.complete, p.inProgress, p.failed, pending, percent, p.pending,
                Timestamps.format(p.updatedAt));
    }
}
