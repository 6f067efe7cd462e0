package io.baystack.conductor;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Uni;

/**
 * Places where the crash tests kill the process. With {@code baystack.crash.point} set (tests only),
 * the n-th pass through that point ({@code baystack.crash.after}) prints a marker line and stops that
 * piece of work for good, so the harness watching the output can SIGKILL the process exactly there.
 * Unset, as in every real deployment, each point is a no-op.
 */
@ApplicationScoped
public class CrashPoints {

    /** Where a bay's journey may be cut short. */
    public enum Point {
        /** The bay is stored (the 202 not yet sent), nothing published. */
        CREATE_COMMITTED,
        /** The hand-off is published, the 202 not yet sent. */
        CREATE_PUBLISHED,
        /** Keystone made the bay's trust; its id not yet stored. */
        CREATE_TRUST_MADE,
        /** The stack create is on its way to Heat, its answer not yet read. */
        CREATE_HEAT_CALL,
        /** Heat accepted the stack; its id not yet stored. */
        CREATE_HEAT_ACCEPTED,
        /** A node_count change is stored, nothing published. */
        UPDATE_COMMITTED,
        /** Heat accepted the stack update; the bay still says it is to be sent. */
        UPDATE_HEAT_ACCEPTED,
        /** A delete is stored, nothing published. */
        DELETE_COMMITTED,
        /** Heat accepted the stack delete; the bay still says it is to be sent. */
        DELETE_HEAT_ACCEPTED;

        public String setting() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The line the harness waits for. */
    public static final String MARKER = "BAYSTACK-CRASH-POINT";

    private static final Logger LOG = Logger.getLogger(CrashPoints.class);

    private final Point armed;
    private final int after;
    private final AtomicInteger passes = new AtomicInteger();

    CrashPoints(BaystackConfig config) {
        this.armed = config.crash().point().map(CrashPoints::parse).orElse(null);
        this.after = config.crash().after();
        if (armed != null) {
            LOG.warnf("crash point %s armed: the process stops dead at pass %d (tests only)", armed.setting(), after);
        }
    }

    /** Passes through {@code point}: goes on, or, at the armed pass, never completes. */
    public Uni<Void> pass(Point point, String bayUuid) {
        if (point != armed || passes.incrementAndGet() != after) {
            return Uni.createFrom().voidItem();
        }
        // straight to the file descriptor the harness reads: nothing buffered may hide it
        System.out.println(MARKER + " " + point.setting() + " bay " + bayUuid);
        System.out.flush();
        return Uni.createFrom().nothing();
    }

    /**
     * Runs {@code call}; at the armed pass through {@code point} the call is sent but its answer is
     * never read: the marker follows a moment later, while the call is on its way or just answered.
     */
    public <T> Uni<T> during(Point point, String bayUuid, Uni<T> call) {
        if (point != armed || passes.incrementAndGet() != after) {
            return call;
        }
        call.subscribe().with(ignored -> { }, ignored -> { });
        return Uni.createFrom().voidItem().onItem().delayIt().by(java.time.Duration.ofMillis(50))
                .invoke(() -> {
                    System.out.println(MARKER + " " + point.setting() + " bay " + bayUuid);
                    System.out.flush();
                })
                .chain(() -> Uni.createFrom().nothing());
    }

    private static Point parse(String setting) {
        for (Point p : Point.values()) {
            if (p.setting().equals(setting)) {
                return p;
            }
        }
        throw new IllegalArgumentException("baystack.crash.point: no crash point named " + setting);
    }
}
