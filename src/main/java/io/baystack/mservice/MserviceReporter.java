package io.baystack.mservice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.runtime.FreshContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Reports, in PostgreSQL, the functions this process runs: the API, the Heat function and the
 * reconciler (one process runs all three in the standalone mode). A lost report only makes a
 * function look down for a while.
 */
@ApplicationScoped
public class MserviceReporter {

    private static final Logger LOG = Logger.getLogger(MserviceReporter.class);
    static final List<String> FUNCTIONS = List.of("baystack-api", "baystack-conductor", "baystack-reconciler");

    private final FreshContext fresh;
    private final String host = hostName();

    MserviceReporter(FreshContext fresh) {
        this.fresh = fresh;
    }

    @Scheduled(identity = "mservice-report", every = "${baystack.mservices.report-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> report() {
        return fresh.run(() -> Panache.withTransaction(() -> Panache.getSession().chain(s -> {
            Uni<Integer> all = Uni.createFrom().item(0);
            for (String function : FUNCTIONS) {
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
