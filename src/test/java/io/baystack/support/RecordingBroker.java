package io.baystack.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Plays a Knative Broker with one Trigger for the tests of the {@code sink} hand-off: takes the
 * CloudEvents baystack POSTs (binary mode), keeps them, and delivers each to the Heat function's
 * {@code /functions/heat} of the application under test, answering the sender 202 at once.
 */
public final class RecordingBroker {

    /** One event as received: its ce-* headers and its body. */
    public record Received(Map<String, String> attributes, String body) {
    }

    private static final RecordingBroker INSTANCE = new RecordingBroker();

    private final int port = freePort();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile HttpServer server;
    private volatile String subscriber;

    public static RecordingBroker get() {
        return INSTANCE;
    }

    public List<Received> received() {
        return received;
    }

    /** Where delivered events go (the Trigger's subscriber). */
    public void subscriber(String url) {
        this.subscriber = url;
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            Map<String, String> ce = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> {
                if (k.toLowerCase().startsWith("ce-")) {
                    ce.put(k.toLowerCase(), v.get(0));
                }
            });
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes());
            }
            received.add(new Received(ce, body));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            deliver(ce, body);
        });
        server.start();
    }

    private void deliver(Map<String, String> ce, String body) {
        // as the Trigger of deploy/knative/eventing.yaml: hand-offs only (notifications go to whoever else listens)
        if (subscriber == null || !io.baystack.conductor.BayHandOff.EVENT_TYPE.equals(ce.get("ce-type"))) {
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(subscriber)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        ce.forEach(request::header);
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the broker before the application (as the Heat fault proxy is started: a test resource). */
    public static class Resource implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                INSTANCE.start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("baystack.handoff.sink", "http://127.0.0.1:" + INSTANCE.port + "/");
        }

        @Override
        public void stop() {
            INSTANCE.stop();
        }
    }

    /** baystack's API hands off to this broker; its Heat function takes what the broker delivers. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("baystack.handoff.mode", "sink", "baystack.functions.enabled", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Resource.class));
        }
    }
}
