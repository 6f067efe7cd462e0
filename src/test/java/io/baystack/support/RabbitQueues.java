package io.baystack.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The local RabbitMQ's own view of its queues, through {@code rabbitmqctl} (the management HTTP API
 * is not enabled on the local node): how many messages wait (ready) and how many a consumer holds
 * unacknowledged, which the AMQP client cannot tell. The node is {@code BAYSTACK_RABBIT_NODE}, else
 * the one scripts/rabbitmq-up.sh starts ({@code baystack-<port>@localhost}), else the distribution's
 * default {@code rabbit@localhost}; run as root, the CLI runs as the rabbitmq user, whose Erlang
 * cookie it needs.
 */
public final class RabbitQueues {

    /** Messages of one queue. */
    public record Counts(long ready, long unacknowledged) {
    }

    private static String node;

    private RabbitQueues() {
    }

    /** The counts of {@code queue}, or null when the broker has no such queue. */
    public static synchronized Counts of(String queue) {
        Map<String, Counts> all = list(node());
        return all.get(queue);
    }

    /** Deletes the durable queue and exchange a test made the broker (or the application) declare. */
    public static void delete(String queue, String exchange) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port());
        try (Connection connection = factory.newConnection("baystack-test-cleanup");
                Channel channel = connection.createChannel()) {
            if (queue != null) {
                channel.queueDelete(queue);
            }
            if (exchange != null) {
                channel.exchangeDelete(exchange);
            }
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("test queue " + queue + " / exchange " + exchange + " not deleted", e);
        }
    }

    private static String node() {
        if (node != null) {
            return node;
        }
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("BAYSTACK_RABBIT_NODE");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("baystack-" + port() + "@localhost");
        candidates.add("rabbit@localhost");
        for (String candidate : candidates) {
            try {
                list(candidate);
                node = candidate;
                return node;
            } catch (IllegalStateException notThisOne) {
                // try the next name
            }
        }
        throw new IllegalStateException("rabbitmqctl reaches none of the nodes " + candidates
                + "; set BAYSTACK_RABBIT_NODE");
    }

    private static Map<String, Counts> list(String nodeName) {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("runuser", "-u", "rabbitmq", "--"));
        }
        cmd.addAll(List.of("rabbitmqctl", "-n", nodeName, "-q", "-t", "20", "list_queues", "name", "messages_ready",
                "messages_unacknowledged"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl -n " + nodeName + " failed: " + out);
            }
            Map<String, Counts> counts = new HashMap<>();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                // the header line (newer CLIs print it even with -q) has no numbers
                if (f.length == 3 && f[1].matches("\\d+") && f[2].matches("\\d+")) {
                    counts.put(f[0], new Counts(Long.parseLong(f[1]), Long.parseLong(f[2])));
                }
            }
            return counts;
        } catch (IOException e) {
            throw new IllegalStateException("rabbitmqctl not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int port() {
        return Integer.parseInt(System.getenv().getOrDefault("BAYSTACK_RABBITMQ_PORT", "5672"));
    }
}
