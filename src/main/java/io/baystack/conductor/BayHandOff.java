package io.baystack.conductor;

import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.config.BaystackConfig;
import io.baystack.config.BaystackConfig.Handoff.Mode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Tells the Heat function that a bay has work, after the commit. How depends on
 * {@code baystack.handoff.mode}:
 * <ul>
 * <li>{@code channel}: on the messaging channel {@value BayCreateConductor#CHANNEL}, in memory to
 * this process's Heat function, or through RabbitMQ when the channel is configured so;</li>
 * <li>{@code sink}: as a CloudEvent POSTed to {@code baystack.handoff.sink} (a Knative Broker),
 * which delivers it to the Heat function's {@code /functions/heat};</li>
 * <li>{@code none}: not at all; the reconciler's rounds do the work.</li>
 * </ul>
 * Fire and forget on purpose: the stored bay is the promise, and a hand-off lost here is made good
 * by the reconciler's redrive.
 */
@ApplicationScoped
public class BayHandOff {

    /** The CloudEvent type of a hand-off. */
    public static final String EVENT_TYPE = "io.baystack.bay.handoff";
    private static final Logger LOG = Logger.getLogger(BayHandOff.class);

    private final MutinyEmitter<String> emitter;
    private final Mode mode;
    private final CloudEventSink sink;
    private final String source;
    private final ObjectMapper json;

    BayHandOff(@Channel(BayCreateConductor.CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<String> emitter, BaystackConfig config, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
        this.mode = config.handoff().mode();
        this.source = config.handoff().source();
        if (mode == Mode.SINK) {
            String url = config.handoff().sink().orElseThrow(() -> new IllegalStateException(
                    "baystack.handoff.mode=sink needs baystack.handoff.sink (K_SINK)"));
            this.sink = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url))
                    .connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS)
                    .build(CloudEventSink.class);
        } else {
            this.sink = null;
        }
    }

    /** Whether hand-offs go anywhere; with {@code none} the reconciler does the work itself. */
    public boolean delivers() {
        return mode != Mode.NONE;
    }

    public void publish(HandOff handOff) {
        switch (mode) {
            case CHANNEL -> {
                try {
                    emitter.sendAndForget(handOff.toJson(json));
                } catch (RuntimeException e) {
                    LOG.warnf("hand-off of bay %s not sent now (%s); the redrive will send it", handOff.bayUuid(),
                            e.getMessage());
                }
            }
            case SINK -> sink.send("1.0", UUID.randomUUID().toString(), source, EVENT_TYPE, handOff.bayUuid(), handOff.data())
                    .subscribe().with(r -> {
                        if (r.getStatus() >= 300) {
                            LOG.warnf("hand-off of bay %s refused by the sink (%d); the redrive will send it",
                                    handOff.bayUuid(), r.getStatus());
                        }
                    }, e -> LOG.warnf("hand-off of bay %s not sent now (%s); the redrive will send it",
                            handOff.bayUuid(), e.getMessage()));
            case NONE -> LOG.debugf("bay %s: hand-offs are off; the reconciler takes it", handOff.bayUuid());
        }
    }
}
