package io.baystack.support;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The bays a test class builds, asked for all at once by whichever of its tests runs first. The local
 * Heat then builds them side by side: a build mostly waits on Heat's one-second polls of its nested
 * stacks, so seven bays built together take little longer than one. Each test then waits for its own
 * bay and checks it as before. (JUnit cannot run {@code @QuarkusTest} methods in parallel.)
 */
public final class BayBatch {

    /** One bay asked for: its name and the uuid the API answered with. */
    public record Asked(String name, String uuid) {
    }

    private final Consumer<BayBatch> asks;
    private Map<String, Asked> bays;
    private Throwable failed;

    /** {@code asks} sends the class's create requests through {@link #create} and {@link #add}. */
    public BayBatch(Consumer<BayBatch> asks) {
        this.asks = asks;
    }

    /** The bay asked for under {@code key}; the first call sends every request of the batch. */
    public synchronized Asked get(String key) {
        if (failed != null) {
            throw new IllegalStateException("the batch's create requests failed", failed);
        }
        if (bays == null) {
            bays = new HashMap<>();
            try {
                asks.accept(this);
            } catch (RuntimeException | Error e) {
                // every test of the class reports why, not a missing bay
                failed = e;
                throw e;
            }
        }
        Asked asked = bays.get(key);
        if (asked == null) {
            throw new IllegalArgumentException("the batch asks for no bay named " + key);
        }
        return asked;
    }

    /** Asks for a bay of {@code nodeCount} minions from {@code baymodel}, named after {@code key}. */
    public void create(String key, String baymodel, int nodeCount) {
        String name = Api.unique(key);
        add(key, name, Api.createBay(name, baymodel, nodeCount));
    }

    /** Records a bay the batch asked for in its own way. */
    public void add(String key, String name, String uuid) {
        bays.put(key, new Asked(name, uuid));
    }
}
