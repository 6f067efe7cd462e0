package io.baystack.db;

import java.net.SocketException;
import java.sql.SQLException;
import java.util.Set;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

/**
 * Tells a failure that means "PostgreSQL is not there right now" (worth a 503 and a retry) from every
 * other failure. These are what the reactive PostgreSQL client and Hibernate Reactive raise when the
 * server is down or goes down, found by stopping a real server under load:
 * <ul>
 * <li>no server: {@link java.net.ConnectException} (Netty's, "Connection refused: /host:port", or its
 * connect timeout); a connection reset: {@link SocketException};</li>
 * <li>the server went away under a query: {@link ClosedConnectionException} (Hibernate Reactive wraps it
 * in a {@code HibernateException});</li>
 * <li>the server shutting down or starting: SQLSTATE 57P01, 57P02, 57P03, or a class 08 connection
 * error, as the client's {@link DatabaseException} or as the {@link SQLException} Hibernate converts
 * it to;</li>
 * <li>no pooled connection in time: the pool's acquire timeout (a message-only Vert.x failure) or, with
 * the wait queue full, {@link ConnectionPoolTooBusyException}.</li>
 * </ul>
 * Keystone and Heat failures never get here raw: their facades turn them into domain errors, so a
 * network failure reaching the API's error mapper is the database's.
 */
public final class DatabaseFaults {

    /** admin_shutdown, crash_shutdown, cannot_connect_now ("the database system is starting up / shutting down"). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");
    /** What the Vert.x SQL pool fails a waiter with when its acquire timeout runs out. */
    private static final Set<String> POOL_TIMEOUTS = Set.of("Timeout", "Timeout waiting for connection");
    private static final int MAX_DEPTH = 16;

    private DatabaseFaults() {
    }

    /** True when {@code failure}, or one of its causes, says the database cannot be reached now. */
    public static boolean unavailable(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SocketException || t instanceof ClosedConnectionException
                    || t instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            if (t instanceof DatabaseException d && unavailableState(d.getSqlState())) {
                return true;
            }
            if (t instanceof SQLException s && unavailableState(s.getSQLState())) {
                return true;
            }
            if (t.getClass().getName().startsWith("io.vertx.") && POOL_TIMEOUTS.contains(t.getMessage())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * True when {@code failure} is a foreign-key violation (SQLSTATE 23503): a row the write names was
     * deleted by another transaction after it was read (a bay model deleted while a bay on it is stored).
     */
    public static boolean missingReference(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if ((t instanceof DatabaseException d && "23503".equals(d.getSqlState()))
                    || (t instanceof SQLException s && "23503".equals(s.getSQLState()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean unavailableState(String state) {
        if (state == null) {
            return false;
        }
        // class 08 is "connection exception"; 08P01 (protocol violation) is a bug, not an outage
        return UNAVAILABLE_STATES.contains(state) || (state.startsWith("08") && !state.equals("08P01"));
    }
}
