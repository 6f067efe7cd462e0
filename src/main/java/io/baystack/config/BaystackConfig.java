package io.baystack.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of baystack itself, under the prefix {@code baystack}. */
@ConfigMapping(prefix = "baystack")
public interface BaystackConfig {

    KeystoneConfig keystone();

    SecretsConfig secrets();

    CertificatesConfig certificates();

    Heat heat();

    Conductor conductor();

    Reconciler reconciler();

    Api api();

    Quota quota();

    Mservices mservices();

    Crash crash();

    Functions functions();

    Handoff handoff();

    Database database();

    Health health();

    BayHealthConfig bayHealth();

    Cloud cloud();

    interface Heat {
        /**
         * Classpath path of a Heat environment sent with every stack create. Local runs set
         * {@code heat/env/local.yaml} (stand-ins for Nova, Neutron and Cinder); a real cloud sends none.
         */
        Optional<String> environment();

        /** Heat endpoint to use instead of the one in the Keystone catalog. */
        Optional<String> endpointOverride();

        /** HTTP timeout of every Heat call. */
        @WithDefault("30s")
        Duration timeout();

        /** Attempts (first included) of calls that are safe to repeat (reads). */
        @WithDefault("3")
        int readAttempts();

        /** Heat {@code timeout_mins} when a bay asks for none (or 0). */
        @WithDefault("60")
        int defaultCreateTimeoutMins();

        /**
         * Stack ids per list call of the status sync: 50 ids (about 2 KB of query) keep the request
         * line well under the 4 KB to 8 KB that uWSGI, Apache and eventlet in front of Heat accept.
         */
        @WithDefault("50")
        int listPageSize();

        /** How deep resource and event reads go into nested stacks (kubecluster.yaml: group, minion, resource). */
        @WithDefault("5")
        int nestedDepth();

        /** Wait before the first repeat of a failed read; doubled per repeat (with 30% jitter). */
        @WithDefault("200ms")
        Duration readRetryInitial();

        /** The longest wait between two tries of a read. */
        @WithDefault("2s")
        Duration readRetryMax();
    }

    interface Conductor {
        /**
         * A bay accepted this long ago that still has no stack is handed to the Heat function again
         * (the publish after the commit may have been lost in a crash).
         */
        @WithDefault("20s")
        Duration redriveAfter();

        /** At most this many bays are handed over again per reconciler round. */
        @WithDefault("20")
        int redriveBatch();

        /** Wait before trying a failed Heat call again the first time; doubled per failure in a row. */
        @WithDefault("2s")
        Duration retryInitial();

        /** The longest wait between two tries of a failed Heat call. */
        @WithDefault("5m")
        Duration retryMax();

        /** Share of each wait taken off at random (0 to 1), so that bays failed together do not retry together. */
        @WithDefault("0.3")
        double retryJitter();

        /**
         * Hand-offs one Heat function process works on at once (each mostly waits on Heat); the
         * rest wait their turn in order. On Knative, the Service's containerConcurrency plays this part.
         */
        @WithDefault("4")
        int concurrency();
    }

    interface Reconciler {
        /** Period of the status sync in standalone mode ({@code off} disables the timer). */
        @WithDefault("3s")
        String interval();

        /** At most this many stack ids go into one Heat list call. */
        @WithDefault("200")
        int batchSize();

        /**
         * Bays of a round synced at once (each on its own context: its progress, its status, its outputs
         * when its stack has finished); the rest wait their turn within the round.
         */
        @WithDefault("4")
        int concurrency();

        /**
         * How often a bay in progress has its progress and Heat events read (two Heat calls); the round
         * that sees its stack's status change reads them whatever this says.
         */
        @WithDefault("10s")
        java.time.Duration activityInterval();

        /** At most this many bays whose status does not change have their progress and events read per round. */
        @WithDefault("5")
        int activityBatch();

        /**
         * A notification the broker confirmed stays in the outbox this long (for an operator to look
         * back at), then a round deletes it: the outbox does not grow with every bay ever built.
         */
        @WithDefault("24h")
        Duration notificationsKept();
    }

    interface Api {
        /** Public base URL used in links and Location headers; the request's own when absent. */
        Optional<String> publicUrl();

        /**
         * A watch stream ends after this long even if its bay is still in progress; the client watches
         * again after the last event it got ({@code ?marker=}). Keep it under the request timeout of what
         * is in front (a Knative revision's {@code timeoutSeconds}): an open stream also keeps its pod
         * from scaling to zero.
         */
        @WithDefault("10m")
        Duration watchMax();

        /** A quiet watch stream sends an SSE comment this often, so proxies do not close it as idle. */
        @WithDefault("15s")
        Duration watchHeartbeat();

        /**
         * Watch streams one process keeps open at once; one more is refused with 429. All open streams
         * share one look at the database per second, so this bounds what they hold, not their queries.
         */
        @WithDefault("100")
        int watchMaxStreams();
    }

    interface Quota {
        /** Clusters (bays) a project may have when no quota of its own is set, as Magnum's [quotas] max_clusters_per_project. */
        @WithDefault("20")
        int maxClustersPerProject();
    }

    interface Mservices {
        /** How often each process reports its functions alive ({@code off} disables the report). */
        @WithDefault("10s")
        String reportInterval();

        /** A function not heard from for this long is shown "down". */
        @WithDefault("60s")
        Duration downAfter();
    }

    /** For the crash tests only: where the process stops dead (see io.baystack.conductor.CrashPoints). */
    interface Crash {
        /** The crash point, e.g. {@code create-heat-accepted}; none in any real deployment. */
        Optional<String> point();

        /** Which pass through the point stops (1 = the first). */
        @WithDefault("1")
        int after();
    }

    /**
     * Bounds on waiting for PostgreSQL (the reactive pool that serves every request and background
     * round; Quarkus has no properties for them): with the database gone, a request fails within these
     * and is answered 503 rather than left hanging.
     */
    interface Database {
        /** Longest a new connection may take to be established over TCP. */
        @WithDefault("3s")
        Duration connectTimeout();

        /** Longest a request or round waits for a pooled connection (all busy, or being opened). */
        @WithDefault("5s")
        Duration acquireTimeout();

        /** At most this many may wait for a pooled connection at once; more are refused at once ({@code -1}: no bound). */
        @WithDefault("1000")
        int maxWaitQueue();

        /**
         * Bay creates of one project one process stores at once; more wait their turn in the process.
         * Each holds its project's count row locked to its commit, so more at once would only queue on
         * that lock in PostgreSQL, where waking the waiters cost more than the stores themselves (16
         * clients creating in one project: PostgreSQL's CPU per create 2.5 ms with 16 at once, 1.3 ms
         * with 2). Projects are spread over 64 such queues.
         */
        @WithDefault("2")
        int createConcurrency();
    }

    /** The CloudEvent entry points of the functions ({@code /functions/heat}, {@code /functions/reconcile}). */
    interface Functions {
        /** On for the Knative services (cluster-local; these routes take no Keystone token); off in one process. */
        @WithDefault("false")
        boolean enabled();
    }

    /** How an accepted bay's work reaches the Heat function (see io.baystack.conductor.BayHandOff). */
    interface Handoff {
        enum Mode {
            /** The messaging channel inside this process (the simplest local mode). */
            CHANNEL,
            /**
             * Through RabbitMQ: the channel {@code bay-handoff} publishes to the exchange, the queue
             * feeds {@code bay-handoff-in}; profile {@code rabbitmq} switches both on.
             */
            RABBITMQ,
            /** A CloudEvent POSTed to {@link #sink()} (a Knative Broker). */
            SINK,
            /** None: the reconciler's rounds do the work. */
            NONE
        }

        @WithDefault("channel")
        Mode mode();

        /** Where {@code sink} mode POSTs its CloudEvents; Knative's SinkBinding sets {@code K_SINK}. */
        Optional<String> sink();

        /** The {@code source} attribute of the CloudEvents baystack sends. */
        @WithDefault("/baystack/api")
        String source();
    }

    /** The readiness checks of Keystone and Heat (io.baystack.observability.CloudReadiness). */
    interface Health {
        /**
         * How long a check waits for the service's version document before it says DOWN: long enough for
         * a busy Heat (a single worker answered its version document in over 2 s under load), since an
         * unready API is taken out of service.
         */
        @WithDefault("5s")
        Duration timeout();
    }

    /** {@code baystack.cloud.*}: the create-time look-ups of images, flavors, keypairs and networks. */
    interface Cloud {
        /**
         * Check, as Magnum does, that what a model or a bay names exists in Glance, Nova and Neutron before
         * storing it. Off only for a cloud without those services.
         */
        @WithDefault("true")
        boolean validate();

        /** How long a thing found stays found without asking again (a thing not found is asked again each time). */
        @WithDefault("30s")
        Duration cacheTtl();

        /** At most this many found things are remembered. */
        @WithDefault("10000")
        int cacheSize();

        /** HTTP timeout of each look-up. */
        @WithDefault("10s")
        Duration timeout();
    }
}
