package io.baystack.observability;

import java.util.UUID;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The request id of the work at hand and the one log line of each bay status change. The request id
 * lives in the logging MDC ({@value #REQUEST_ID}), which Quarkus keeps per Vert.x context: the API's
 * filter sets it for a request, the Heat function takes the one its hand-off carries, and a
 * reconciler round makes its own, as OpenStack services do for periodic tasks. JSON logs show the MDC
 * as fields; the status line also carries both ids in its text, for plain logs.
 */
public final class BayLog {

    /** MDC key of the request id ({@code req-<uuid>}). */
    public static final String REQUEST_ID = "request_id";
    /** MDC key of the bay a status line is about. */
    public static final String BAY_UUID = "bay_uuid";

    private static final Logger LOG = Logger.getLogger("io.baystack.bay.status");

    private BayLog() {
    }

    /** A new id in the form Magnum and the API use. */
    public static String newRequestId() {
        return "req-" + UUID.randomUUID();
    }

    /** The request id of the current context, or null. */
    public static String requestId() {
        Object id = MDC.get(REQUEST_ID);
        return id == null ? null : id.toString();
    }

    /** Makes {@code id} the current context's request id. */
    public static void useRequestId(String id) {
        MDC.put(REQUEST_ID, id);
    }

    /** Logs that the bay went from status {@code from} to {@code to} (or "new", "deleted"). */
    public static void statusChanged(String uuid, Object from, Object to, String reason) {
        String request = requestId();
        MDC.put(BAY_UUID, uuid);
        try {
            LOG.infof("bay %s: %s -> %s, request %s: %s", uuid, from, to, request == null ? "-" : request, reason);
        } finally {
            MDC.remove(BAY_UUID);
        }
    }
}
