package io.baystack.conductor;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Puts an accepted bay's uuid on the channel to the Heat function. Fire and forget on purpose: the
 * stored bay is the promise, and a message lost here is re-sent by the reconciler's redrive.
 */
@ApplicationScoped
public class BayHandOff {

    private static final Logger LOG = Logger.getLogger(BayHandOff.class);

    private final MutinyEmitter<String> emitter;

    BayHandOff(@Channel(BayCreateConductor.CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public void publish(String bayUuid) {
        try {
            emitter.sendAndForget(bayUuid);
        } catch (RuntimeException e) {
            LOG.warnf("hand-off of bay %s not sent now (%s); the redrive will send it", bayUuid, e.getMessage());
        }
    }
}
