package io.baystack.faults;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * baystack's own throw-away PostgreSQL (scripts/pg-fault-db.sh, 127.0.0.1:5439, database
 * baystack_fault) for the tests that stop it: the shared one on :5432 also serves Keystone and Heat.
 * Started before Quarkus (Flyway migrates at start-up), stopped after it.
 */
public class FaultDatabase implements QuarkusTestResourceLifecycleManager {

    /** Where scripts/pg-fault-db.sh puts it (its port follows BAYSTACK_PGFAULT_PORT, as the script's does). */
    public static final String HOST_PORT = "127.0.0.1:" + System.getenv().getOrDefault("BAYSTACK_PGFAULT_PORT", "5439");
    public static final String NAME = "baystack_fault";

    @Override
    public Map<String, String> start() {
        run("start");
        return Map.of();
    }

    @Override
    public void stop() {
        run("stop");
    }

    /** {@code start} (idempotent, waits until it answers) or {@code stop} (immediate, as a crash). */
    public static void run(String action) {
        try {
            Process p = new ProcessBuilder("bash", "scripts/pg-fault-db.sh", action).directory(new File("."))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("scripts/pg-fault-db.sh " + action + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/pg-fault-db.sh " + action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
