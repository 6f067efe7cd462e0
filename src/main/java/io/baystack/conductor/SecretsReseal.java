package io.baystack.conductor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.baystack.certificate.CertificateService;
import io.baystack.runtime.FreshContext;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * After a rotation of {@code baystack.secrets.key}: at start, every CA key still sealed with a retired
 * key is sealed again with the current one, in batches, in the background. Its last log line says
 * whether a retired key may now be dropped from {@code baystack.secrets.previous-keys}.
 */
@ApplicationScoped
class SecretsReseal {

    private static final Logger LOG = Logger.getLogger(SecretsReseal.class);
    private static final int BATCH = 100;

    private final CertificateService certificates;
    private final FreshContext fresh;

    SecretsReseal(CertificateService certificates, FreshContext fresh) {
        this.certificates = certificates;
        this.fresh = fresh;
    }

    void onStart(@Observes StartupEvent start) {
        fresh.run(() -> resealAll(0)).subscribe().with(total -> {
            if (total > 0) {
                LOG.infof("re-sealed %d CA keys with the current baystack.secrets.key: none is sealed with a retired key now", total);
            }
        }, failure -> LOG.warnf("re-sealing CA keys with the current baystack.secrets.key failed (tried again at the"
                + " next start): %s", failure.getMessage()));
    }

    private Uni<Integer> resealAll(int done) {
        return certificates.resealBatch(BATCH).chain(n -> n < BATCH ? Uni.createFrom().item(done + n) : resealAll(done + n));
    }
}
