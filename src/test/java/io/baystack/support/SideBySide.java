package io.baystack.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;

/**
 * Flows of one test class run at once, so that their waits on Heat overlap (JUnit cannot run
 * {@code @QuarkusTest} methods in parallel): each flow starts now on its own thread, and each becomes a
 * dynamic test that waits for it and fails with what failed in it. A factory rather than several
 * tests, because the test's RestAssured state (baystack's port) holds until all its dynamic tests are done.
 */
public final class SideBySide {

    private final Map<String, Runnable> flows = new LinkedHashMap<>();

    public SideBySide flow(String name, Runnable flow) {
        flows.put(name, flow);
        return this;
    }

    /** Starts every flow; the dynamic tests wait for each at most {@code within}. */
    public Stream<DynamicTest> start(Duration within) {
        ExecutorService pool = Executors.newFixedThreadPool(flows.size(), r -> {
            Thread t = new Thread(r, "side-by-side-flow");
            t.setDaemon(true);
            return t;
        });
        Map<String, CompletableFuture<Void>> running = new LinkedHashMap<>();
        flows.forEach((name, flow) -> running.put(name, CompletableFuture.runAsync(flow, pool)));
        pool.shutdown();
        return running.entrySet().stream().map(flow -> DynamicTest.dynamicTest(flow.getKey(), () -> {
            try {
                flow.getValue().get(within.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause();
            }
        }));
    }
}
