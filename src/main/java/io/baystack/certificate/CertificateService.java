package io.baystack.certificate;

import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.api.BaystackException;
import io.baystack.api.Noun;
import io.baystack.bay.Bay;
import io.baystack.bay.BayChange;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayTransition;
import io.baystack.bay.HandOffs;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.config.BaystackConfig;
import io.baystack.config.CertificatesConfig;
import io.baystack.keystone.Caller;
import io.baystack.observability.BayLog;
import io.baystack.secrets.SecretBox;
import io.baystack.trace.BayTracing;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Each bay's certificate authority (Magnum's {@code /v1/certificates}): made once, by the Heat function
 * before the bay's stack; shown, asked to sign client certificates, rotated. The CA's key is sealed
 * by {@link SecretBox} before it reaches PostgreSQL and opened only in memory, to sign or to hand to
 * the stack. Key generation and signing run off the event loop.
 */
@ApplicationScoped
public class CertificateService {

    private static final Logger LOG = Logger.getLogger(CertificateService.class);

    /** What {@code ca show} and {@code ca sign} answer: the bay, and a PEM (the CA's or the one signed). */
    public record Shown(String bayUuid, String pem) {
    }

    private final CaStore store;
    private final BayRepository bays;
    private final BayModelRepository models;
    private final HandOffs handOffs;
    private final SecretBox box;
    private final CertificatesConfig config;
    private final BayTracing tracing;

    CertificateService(CaStore store, BayRepository bays, BayModelRepository models, HandOffs handOffs, SecretBox box,
            BaystackConfig config, BayTracing tracing) {
        this.store = store;
        this.bays = bays;
        this.models = models;
        this.handOffs = handOffs;
        this.box = box;
        this.config = config.certificates();
        this.tracing = tracing;
    }

    /** The CA certificate of a bay the caller may see. */
    public Uni<Shown> show(String ident, Caller caller, Noun noun) {
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun)
                .chain(bay -> stored(bay, noun).map(row -> new Shown(bay.uuid, row.certPem()))));
    }

    /** A client certificate for {@code csr}, signed by the CA of a bay the caller may see. */
    public Uni<Shown> sign(String ident, String csr, Caller caller, Noun noun) {
        if (csr == null || csr.isBlank()) {
            throw BaystackException.invalid("Invalid input for field/attribute csr. Mandatory field missing.");
        }
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun).chain(bay -> stored(bay, noun)))
                .chain(row -> offLoop(() -> {
                    try {
                        return X509.sign(csr, open(row), config);
                    } catch (X509.CsrRefused e) {
                        throw BaystackException.invalid(e.getMessage());
                    }
                }).map(pem -> new Shown(row.bayUuid(), pem)));
    }

    /**
     * Replaces the CA of a *_COMPLETE bay (not one whose model disables TLS) and updates its stack with
     * it: certificates the old CA signed no longer chain. Both the new CA and the pending update are
     * stored in one transaction, then handed to the Heat function.
     */
    public Uni<Bay> rotate(String ident, Caller caller, Noun noun) {
        String kind = noun.singular().toLowerCase();
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun)
                .chain(bay -> models.findByUuid(bay.baymodelId).map(model -> {
                    if (model != null && model.tlsDisabled) {
                        throw BaystackException.invalid("Rotating the CA of " + kind + " " + bay.uuid
                                + " is not supported: its template disables TLS, so it has no CA in use.");
                    }
                    if (!BayTransition.Statuses.UPDATABLE.contains(bay.status) || bay.stackId == null) {
                        throw BaystackException.invalid("Rotating the CA of a " + kind + " when status is \"" + bay.status
                                + "\" is not supported");
                    }
                    return bay;
                })))
                .chain(bay -> offLoop(() -> X509.newCa(bay.name, bay.uuid, config)).chain(ca -> Panache.withTransaction(
                        () -> store.replace(bay.id, ca.certPem(), box.seal(ca.keyPem(), context(bay.uuid)))
                                .chain(() -> bays.apply(BayTransition.CA_ROTATION_ACCEPTED, bay.id,
                                        BayChange.reason("Waiting for the Heat function")
                                                .note("CA rotation accepted; waiting for the Heat function")
                                                .trace(tracing.current())))
                                .invoke(applied -> {
                                    if (!applied.changed()) {
                                        // thrown inside the transaction: the new CA is rolled back with it
                                        throw BaystackException.conflict(noun.singular() + " " + bay.uuid
                                                + " changed while its CA was being rotated. Retry.");
                                    }
                                }))
                        .invoke(() -> LOG.infof("bay %s: CA rotation accepted", bay.uuid))
                        .chain(() -> handOffs.handOver(bay.uuid, HandOffs.UPDATE, BayLog.requestId()))
                        .chain(() -> Panache.withSession(() -> bays.findByUuid(bay.uuid)))));
    }

    /**
     * The bay's CA, made now if it has none (the Heat function, before the stack): a repeated or
     * racing call never makes a second one, it reads the first.
     */
    public Uni<BayCa> ensure(Bay bay) {
        return Panache.withSession(() -> store.find(bay.id)).chain(found -> found != null
                ? Uni.createFrom().item(found)
                : offLoop(() -> X509.newCa(bay.name, bay.uuid, config))
                        .chain(ca -> Panache.withTransaction(() -> store.insertIfAbsent(bay.id, ca.certPem(),
                                box.seal(ca.keyPem(), context(bay.uuid)))))
                        .chain(() -> Panache.withSession(() -> store.find(bay.id))))
                .map(row -> {
                    if (row == null) {
                        throw new IllegalStateException("bay " + bay.uuid + " is gone");
                    }
                    return new BayCa(row.certPem(), open(row).keyPem(), row.generation());
                });
    }

    /** What baystack itself shows a bay's Kubernetes API: the bay's CA to trust, and a client key and certificate. */
    public record ClientCredentials(String caPem, String certPem, String keyPem) {
    }

    /**
     * baystack's own client credentials for the bay's API (O=system:masters, CN=baystack-health), signed by
     * the bay's current CA; kept in memory per CA generation for a day (they are made again at will, never
     * stored). Null when the bay has no CA.
     */
    public Uni<ClientCredentials> clientCredentials(Bay bay) {
        return current(bay).chain(ca -> {
            if (ca == null) {
                return Uni.createFrom().nullItem();
            }
            String key = bay.uuid + "/" + ca.generation();
            Made made = clients.get(key);
            if (made != null && made.at().isAfter(java.time.Instant.now().minus(java.time.Duration.ofDays(1)))) {
                return Uni.createFrom().item(made.credentials());
            }
            return offLoop(() -> X509.client(new X509.Ca(ca.certPem(), ca.keyPem()), "baystack-health", "system:masters", config))
                    .map(c -> {
                        ClientCredentials credentials = new ClientCredentials(ca.certPem(), c.certPem(), c.keyPem());
                        if (clients.size() > 10_000) {
                            clients.clear(); // of deleted bays and old CAs: made again at will
                        }
                        clients.put(key, new Made(credentials, java.time.Instant.now()));
                        return credentials;
                    });
        });
    }

    private record Made(ClientCredentials credentials, java.time.Instant at) {
    }

    private final java.util.Map<String, Made> clients = new java.util.concurrent.ConcurrentHashMap<>();

    /** The bay's CA, or null when it has none (a bay from before CAs were kept). */
    public Uni<BayCa> current(Bay bay) {
        return Panache.withSession(() -> store.find(bay.id))
                .map(row -> row == null ? null : new BayCa(row.certPem(), open(row).keyPem(), row.generation()));
    }

    /**
     * Re-seals, with the current key, up to {@code batch} CA keys sealed with a retired one; answers
     * how many it re-sealed (0: none is left).
     */
    public Uni<Integer> resealBatch(int batch) {
        return Panache.withTransaction(() -> store.sealedWithOtherKey(box.currentKeyId(), batch).chain(rows -> {
            Uni<Integer> done = Uni.createFrom().item(0);
            for (CaStore.Row row : rows) {
                String fresh = box.seal(box.open(row.keySealed(), context(row.bayUuid())), context(row.bayUuid()));
                done = done.chain(n -> store.reseal(row.bayId(), row.keySealed(), fresh).map(changed -> n + changed));
            }
            return done;
        }));
    }

    private Uni<CaStore.Row> stored(Bay bay, Noun noun) {
        return store.find(bay.id).map(row -> {
            if (row == null) {
                throw BaystackException.invalid(noun.singular() + " " + bay.uuid + " has no certificate authority yet"
                        + " (status \"" + bay.status + "\"): it is made when its stack is created.");
            }
            return row;
        });
    }

    private X509.Ca open(CaStore.Row row) {
        return new X509.Ca(row.certPem(), box.open(row.keySealed(), context(row.bayUuid())));
    }

    /** What a CA key is sealed for: its bay, so a sealed key moved to another bay's row does not open. */
    private static String context(String bayUuid) {
        return "bay-ca:" + bayUuid;
    }

    private static <T> Uni<T> offLoop(Callable<T> work) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Uni.createFrom().item(() -> {
                try {
                    return work.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        // the result comes back on the caller's context (its Hibernate Reactive session lives there)
        return Uni.createFrom().completionStage(() -> context.<T> executeBlocking(work, false).toCompletionStage());
    }
}
