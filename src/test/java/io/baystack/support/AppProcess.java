package io.baystack.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The packaged application (target/quarkus-app) as a real process against the real local services,
 * for the tests that kill it (SIGKILL), stop it (SIGTERM) and start it again. Each start writes its
 * output to its own log under {@code target/<name>/}.
 */
public final class AppProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final String name;
    private final String database;
    private final int port = freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LocalCloud.Token token = LocalCloud.token(LocalCloud.DEMO);
    private Process process;
    private Path log;
    private int runs;
    // beside the slow and real-cloud tiers a 2-core CI machine runs at load 8-13: a start that takes 3 s
    // alone took 68 s there (SecretsKeyRotationIT, 54 s of it before the first log line); the tests'
    // subject is what happens after it
    private Duration startWithin = Duration.ofMinutes(3);

    /** How long a start may take before the test fails (3 minutes by default). */
    public AppProcess startWithin(Duration within) {
        this.startWithin = within;
        return this;
    }

    /** {@code database}: a database of the local PostgreSQL this test owns (scripts/pg-up.sh creates it). */
    public AppProcess(String name, String database) {
        this.name = name;
        this.database = database;
    }

    /**
     * Starts the application with the local test settings plus {@code settings} (system properties),
     * and waits until it is ready. {@code label} names the run's log.
     */
    public void start(String label, Map<String, String> settings) throws Exception {
        start(label, settings, Map.of());
    }

    /** As {@link #start(String, Map)}, with {@code environment} added to the process's environment. */
    public void start(String label, Map<String, String> settings, Map<String, String> environment) throws Exception {
        assertThat(JAR).as("package the application first (mvn verify runs the *IT tests after package)").exists();
        Path dir = Path.of("target", name);
        Files.createDirectories(dir);
        runs++;
        log = dir.resolve("run-" + runs + (label == null ? "" : "-" + label) + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // a short-lived process, restarted often: the client compiler alone (see the pom's test.jvm.args)
                "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-XX:+UseSerialGC",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/" + database,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/" + database,
                "-Dbaystack.keystone.password=" + env("BAYSTACK_KEYSTONE_PASSWORD", "baystack-local"),
                // the tests' own throw-away key (application.properties, %test)
                "-Dbaystack.secrets.key=dGVzdHMgb25seTogbm90IGEgc2VjcmV0IGtleSEhISE=",
                // the processes' subject is the hand-off and restarts (one stack per bay), not the bay's shape
                "-Dbaystack.heat.environment=" + LightStandIns.ENVIRONMENT,
                // nor the CA's key type: a P-256 key takes a millisecond where an RSA one took 650 ms of CPU under
                // the client compiler (sampled in CI; the RSA CAs are made by the Quarkus tests and make run)
                "-Dbaystack.certificates.key-type=EC",
                // short, so that a create claim left by a killed process (twice this) runs out soon; the
                // crash matrix, which keeps the local Heat busy with dozens of stacks, sets a longer one
                "-Dbaystack.heat.timeout=5s",
                // four hand-offs at once, as by default
                "-Dbaystack.conductor.concurrency=4",
                // the rounds here come every second: reading progress and events of one bay not changing per
                // round (besides the bays that change) keeps Heat's load from them near the default's
                "-Dbaystack.reconciler.activity-batch=1",
                "-Dbaystack.reconciler.interval=1s",
                "-Dbaystack.conductor.redrive-after=3s",
                "-Dbaystack.conductor.redrive-batch=50",
                "-Dbaystack.conductor.retry-initial=1s",
                "-Dbaystack.conductor.retry-max=4s",
                "-Dbaystack.quota.max-clusters-per-project=1000000"));
        if (runs == 1) {
            // each test starts from an empty schema
            cmd.add("-Dquarkus.flyway.clean-disabled=false");
            cmd.add("-Dquarkus.flyway.clean-at-start=true");
        }
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(JAR.toString());
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        Instant deadline = Instant.now().plus(startWithin);
        while (true) {
            assertThat(process.isAlive()).as("baystack exited at start; see %s", log).isTrue();
            try {
                // started and serving; readiness also asks Heat, which a backlog of earlier runs may keep busy
                if (send(HttpRequest.newBuilder(uri("/q/health/live")).GET()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(Instant.now()).as("baystack not started within %s; see %s", startWithin, log).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    /** Waits until the log has a line containing {@code text} (the process must stay alive meanwhile). */
    public void awaitLog(String text, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (!Files.readString(log).contains(text)) {
            assertThat(process.isAlive()).as("baystack died before printing '%s'; see %s", text, log).isTrue();
            assertThat(Instant.now()).as("'%s' never printed within %s; the log's last lines:%n%s", text, within, tail(40))
                    .isBefore(deadline);
            Thread.sleep(50);
        }
    }

    /** The log's last lines (a failure's message carries them: CI keeps the reports, not the logs). */
    public String tail(int lines) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** SIGKILL: no shutdown hook, nothing flushed, connections dropped. */
    public void kill() throws Exception {
        signal("KILL");
        process.waitFor();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    /** SIGTERM, as Kubernetes stops a pod; returns the exit code once the process is gone. */
    public int terminate(Duration within) throws Exception {
        signal("TERM");
        assertThat(process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                .as("baystack still running %s after SIGTERM; see %s", within, log).isTrue();
        return process.exitValue();
    }

    /** The first column of the first row {@code sql} answers in this process's database (null when none). */
    public Object queryOne(String sql, Object... args) throws java.sql.SQLException {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/" + database, env("BAYSTACK_DB_USER", "baystack"),
                env("BAYSTACK_DB_PASSWORD", "baystack"));
                java.sql.PreparedStatement q = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            try (java.sql.ResultSet rows = q.executeQuery()) {
                return rows.next() ? rows.getObject(1) : null;
            }
        }
    }

    public Path log() {
        return log;
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    /** A request to the API as the demo user, at the latest microversion. */
    public HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("X-Auth-Token", token.id()).header("Content-Type", "application/json")
                .header("Accept", "application/json").header("OpenStack-API-Version", "container-infra latest");
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
