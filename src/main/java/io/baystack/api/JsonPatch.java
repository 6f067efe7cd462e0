package io.baystack.api;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A JSON-patch body as Magnum takes it: {@code [{"op": "replace", "path": "/node_count", "value": 3}]}.
 * Only add, replace and remove; paths are one level deep.
 */
public final class JsonPatch {

    private static final Set<String> OPS = Set.of("add", "replace", "remove");

    /** One operation; {@code from} and anything else a client may send alongside are ignored. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @StrictStrings.Checked
    public record Op(String op, String path, JsonNode value) {

        /** The attribute the operation touches, without the leading slash. */
        public String attribute() {
            return path.substring(1);
        }

        public boolean removes() {
            return "remove".equals(op);
        }
    }

    private JsonPatch() {
    }

    /** Checks the shape of every operation; returns them. */
    public static List<Op> validate(List<Op> ops) {
        if (ops == null || ops.isEmpty()) {
            throw BaystackException.invalid("The request body must be a non-empty JSON-patch list of operations.");
        }
        for (Op op : ops) {
            if (op == null || op.op() == null || !OPS.contains(op.op())) {
                throw BaystackException.invalid("Invalid patch operation: "
                        + (op == null || op.op() == null ? "missing" : "'" + Validation.printable(op.op()) + "'")
                        + ". The operations supported are add, replace and remove.");
            }
            if (op.path() == null || !op.path().matches("/[a-z_]{1,64}")) {
                throw BaystackException.invalid("Invalid patch path: "
                        + (op.path() == null ? "missing" : "'" + Validation.printable(op.path()) + "'") + ".");
            }
            if (!op.removes() && (op.value() == null || op.value().isMissingNode())) {
                throw BaystackException.invalid("'add' and 'replace' operations need a value.");
            }
        }
        return ops;
    }
}
