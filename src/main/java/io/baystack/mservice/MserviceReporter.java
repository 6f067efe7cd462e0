package io.baystack.mservice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.baystack.config.BaystackConfig;

import io.baystack.runtime.FreshContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Reports, in PostgreSQL, the functions this process runs, as its configuration says: the API
 * always; the Heat function when it takes hand-offs here (the in-process channel, the RabbitMQ queue
 * consumed here, or the Knative function routes); the reconciler when its timer runs here or its
 * route does. One process runs all three in the standalone mode; an API-only process reports the API
 * alone. A lost report only makes a function look down for a while.
 */
@ApplicationScoped
public class MserviceReporter {

    private static final Logger LOG = Logger.getLogger(MserviceReporter.class);
    private final FreshContext fresh;
    private final String host = hostName();
    private final List<String> functions;

    MserviceReporter(FreshContext fresh, BaystackConfig config,
            @ConfigProperty(name = "mp.messaging.incoming.bay-handoff-in.enabled", defaultValue = "false") boolean brokerConsumer) {
        this.fresh = fresh;
        this.functions = functionsRun(config.handoff().mode(), brokerConsumer, config.functions().enabled(),
                config.reconciler().interval());
    }

    /** The functions a process configured so runs. */
    static List<String> functionsRun(BaystackConfig.Handoff.Mode mode, boolean brokerConsumer, boolean functionRoutes,
            String reconcilerInterval) {
        List<String> run = new ArrayList<>(List.of("baystack-api"));
        if (mode == BaystackConfig.Handoff.Mode.CHANNEL || brokerConsumer || functionRoutes) {
            run.add("baystack-conductor");
        }
        if (!"off".equalsIgnoreCase(reconcilerInterval.trim()) || functionRoutes) {
            run.add("baystack-reconciler");
        }
        return List.copyOf(run);
    }

    @Scheduled(identity = "mservice-report", every = "${baystack.mservices.report-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> report() {
        return fresh.run(() -> Panache.withTransaction(() -> Panache.getSession().chain(s -> {
            Uni<Integer> all = Uni.createFrom().item(0);
            for (String function : functions) {
                all = all.chain(() -> s.createNativeQuery("insert into mservice (host, binary_name, report_count,"
                        + " created_at, updated_at) values (:h, :b, 1, now(), now()) on conflict (host, binary_name)"
                        + " do update set report_count = mservice.report_count + 1, updated_at = now()")
                        .setParameter("h", host).setParameter("b", function).executeUpdate());
            }
            return all;
        }))).onFailure().invoke(e -> LOG.warnf("mservice report failed (the next one may succeed): %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
