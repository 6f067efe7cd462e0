package io.baystack.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A pass-through proxy in front of the real local Heat that injects only what Heat cannot be made to
 * do on demand: answering late, answering 500, or a gateway's 502 for a request Heat still gets. Everything else is the real Heat's own answer. A
 * test queues faults ({@link #inject}); each matching request takes one, in order.
 */
public final class HeatFaultProxy {

    /** What to do to one matching request. */
    public enum Fault {
        /** Answer 500 without passing the request on (Heat never sees it). */
        ERROR_500,
        /** Pass the request on, let Heat act on it, then answer 500 (what Heat did stays done). */
        ERROR_500_AFTER_HEAT,
        /** Pass the request on and hold Heat's answer back for {@link #SLOW} (past baystack's timeout). */
        SLOW,
        /**
         * Answer 502 at once, as a gateway that gave up on the request, and pass the request on to Heat
         * {@link #LATE} later (it was still on its way there): Heat then creates what baystack was told failed.
         */
        BAD_GATEWAY_THEN_HEAT
    }

    /** A request seen by the proxy and what became of it. */
    public record Seen(Instant at, String method, String path, String outcome, String body) {

        boolean about(String marker) {
            return marker == null || path.contains(marker) || body.contains(marker);
        }
    }

    /** The hold of a {@link Fault#SLOW} answer: longer than the profile's Heat timeout (3 s). */
    public static final Duration SLOW = Duration.ofSeconds(6);

    /**
     * How late a {@link Fault#BAD_GATEWAY_THEN_HEAT} request reaches Heat: after baystack's first retry
     * would come (retry-initial 1 s, rounds of 1 s) had it given its create claim back, well before the
     * claim runs out (twice the profile's Heat timeout: 6 s).
     */
    public static final Duration LATE = Duration.ofSeconds(3);

    /** A queued fault; with a marker, only for requests whose path or body holds it (one bay's stack name). */
    private record Rule(String method, Pattern path, String marker, Fault fault) {
    }

    private static final Set<String> PASSED_HEADERS = Set.of("x-auth-token", "content-type", "accept",
            "openstack-api-version", "x-openstack-request-id");

    private static volatile HeatFaultProxy running;

    private final HttpServer server;
    private final String upstream;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Rule> rules = Collections.synchronizedList(new ArrayList<>());
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private HeatFaultProxy(String upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * A proxy of the test's own, outside any test profile (a test of packaged application processes points
     * them at {@link #url()}); {@link #stop()} ends it.
     */
    public static HeatFaultProxy standalone() throws IOException {
        return new HeatFaultProxy(LocalCloud.HEAT_URL);
    }

    /** Heat's v1 endpoint through this proxy. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public void stop() {
        server.stop(0);
    }

    /** The proxy the running test profile started. */
    public static HeatFaultProxy get() {
        if (running == null) {
            throw new IllegalStateException("no HeatFaultProxy: the test needs HeatFaultProxy.Profile");
        }
        return running;
    }

    /** The next {@code times} requests with this method whose path matches {@code pathRegex} get {@code fault}. */
    public void inject(String method, String pathRegex, int times, Fault fault) {
        inject(method, pathRegex, null, times, fault);
    }

    /**
     * As {@link #inject(String, String, int, Fault)}, for requests whose path or body holds {@code marker}
     * only (a bay's name is in its stack's name, so tests running side by side each fault their own bay).
     */
    public void inject(String method, String pathRegex, String marker, int times, Fault fault) {
        for (int i = 0; i < times; i++) {
            rules.add(new Rule(method, Pattern.compile(pathRegex), marker, fault));
        }
    }

    /** Forgets queued faults and what was seen. */
    public void reset() {
        rules.clear();
        seen.clear();
    }

    public List<Seen> seen(String method, String pathRegex) {
        return seen(method, pathRegex, null);
    }

    /** The requests seen with this method and path whose path or body holds {@code marker} (null: all). */
    public List<Seen> seen(String method, String pathRegex, String marker) {
        Pattern p = Pattern.compile(pathRegex);
        return seen.stream().filter(s -> s.method().equals(method) && p.matcher(s.path()).matches() && s.about(marker))
                .toList();
    }

    private Fault take(String method, String path, String body) {
        synchronized (rules) {
            for (int i = 0; i < rules.size(); i++) {
                Rule r = rules.get(i);
                if (r.method().equals(method) && r.path().matcher(path).matches()
                        && (r.marker() == null || path.contains(r.marker()) || body.contains(r.marker()))) {
                    rules.remove(i);
                    return r.fault();
                }
            }
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        try (exchange) {
            byte[] requestBody = readBody(exchange);
            String text = new String(requestBody, java.nio.charset.StandardCharsets.UTF_8);
            Fault fault = take(method, path, text);
            if (fault == Fault.ERROR_500) {
                seen.add(new Seen(Instant.now(), method, path, "500 (not passed on)", text));
                answer(exchange, 500, "{\"code\": 500, \"title\": \"Internal Server Error\","
                        + " \"explanation\": \"injected by the test proxy\", \"error\": {\"message\": \"injected 500\"}}");
                return;
            }
            if (fault == Fault.BAD_GATEWAY_THEN_HEAT) {
                HttpRequest late = upstreamRequest(exchange, method, requestBody);
                seen.add(new Seen(Instant.now(), method, path, "502, passed on " + LATE.toSeconds() + "s later", text));
                answer(exchange, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
                CompletableFuture.delayedExecutor(LATE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                    try {
                        send(late);
                    } catch (IOException e) {
                        // the late request is the test's own: its outcome is Heat's stack, checked by the test
                    }
                });
                return;
            }
            HttpResponse<byte[]> response = send(upstreamRequest(exchange, method, requestBody));
            if (fault == Fault.SLOW) {
                seen.add(new Seen(Instant.now(), method, path, response.statusCode() + " held " + SLOW.toSeconds() + "s", text));
                sleep(SLOW);
            } else if (fault == Fault.ERROR_500_AFTER_HEAT) {
                seen.add(new Seen(Instant.now(), method, path, "500 after Heat's " + response.statusCode(), text));
                answer(exchange, 500, "{\"code\": 500, \"title\": \"Internal Server Error\","
                        + " \"explanation\": \"injected by the test proxy\", \"error\": {\"message\": \"injected 500 after Heat acted\"}}");
                return;
            } else {
                seen.add(new Seen(Instant.now(), method, path, String.valueOf(response.statusCode()), text));
            }
            response.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
                        && !name.equalsIgnoreCase("connection") && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (IOException | RuntimeException e) {
            // baystack gave up on a held answer and closed the connection: nothing to tell it
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private HttpRequest upstreamRequest(HttpExchange exchange, String method, byte[] body) {
        URI target = URI.create(upstream + exchange.getRequestURI().toString().substring("/v1".length()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (PASSED_HEADERS.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return request.build();
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        answer(exchange, status, "application/json", json);
    }

    private static void answer(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the proxy for a test profile and points baystack's Heat client at it, with a short timeout. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                running = new HeatFaultProxy(LocalCloud.HEAT_URL);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the Heat fault proxy", e);
            }
            return Map.of("baystack.heat.endpoint-override", "http://127.0.0.1:" + running.server.getAddress().getPort() + "/v1",
                    "baystack.heat.timeout", "3s",
                    "baystack.conductor.retry-initial", "1s",
                    "baystack.conductor.retry-max", "4s",
                    // the fault tests' subject is how baystack meets Heat's faults, not the bay's shape
                    "baystack.heat.environment", LightStandIns.ENVIRONMENT);
        }

        @Override
        public void stop() {
            if (running != null) {
                running.server.stop(0);
                running = null;
            }
        }
    }

    /** The test profile of the Heat fault tests: baystack talks to Heat through the proxy. */
    public static class Profile implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Resource.class));
        }
    }
}
