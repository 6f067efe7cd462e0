package io.baystack.conductor;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayStatus;
import io.baystack.baymodel.BayModel;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.heat.BayTemplate;
import io.baystack.heat.HeatException;
import io.baystack.heat.HeatStacks;
import io.baystack.keystone.Keystone;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The Heat function: gives an accepted bay its stack, exactly once. Idempotent, so any message may
 * arrive twice: a bay that has a stack is left alone, and before creating a stack it looks for one
 * under the bay's fixed stack name (a create whose answer was lost). Heat's unique stack names per
 * project settle a race between two deliveries (409 → look up again).
 */
@ApplicationScoped
public class BayCreateConductor {

    public static final String CHANNEL = "bay-create";
    private static final Logger LOG = Logger.getLogger(BayCreateConductor.class);

    private record Work(Bay bay, BayModel model) {
    }

    private final BayRepository bays;
    private final BayModelRepository models;
    private final Keystone keystone;
    private final HeatStacks heat;
    private final BayTemplate template;
    private final FreshContext fresh;

    BayCreateConductor(BayRepository bays, BayModelRepository models, Keystone keystone, HeatStacks heat,
            BayTemplate template, FreshContext fresh) {
        this.bays = bays;
        this.models = models;
        this.keystone = keystone;
        this.heat = heat;
        this.template = template;
        this.fresh = fresh;
    }

    @Incoming(CHANNEL)
    public Uni<Void> onBayAccepted(String bayUuid) {
        // never fail the channel: what could not be done stays recorded on the bay and is redriven
        return fresh.run(() -> ensureStack(bayUuid))
                .onFailure().invoke(e -> LOG.errorf(e, "bay %s: hand-off to Heat failed", bayUuid))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Makes sure the bay has its stack; returns the stack id, or null when there is nothing to do. */
    public Uni<String> ensureStack(String bayUuid) {
        return Panache.withSession(() -> bays.findByUuid(bayUuid).chain(bay -> bay == null
                ? Uni.createFrom().nullItem()
                : models.findByUuid(bay.baymodelId).map(model -> new Work(bay, model))))
                .chain(work -> {
                    if (work == null || work.bay().stackId != null || work.bay().status != BayStatus.CREATE_IN_PROGRESS) {
                        return Uni.createFrom().nullItem();
                    }
                    return createOnce(work);
                });
    }

    private Uni<String> createOnce(Work work) {
        Bay bay = work.bay();
        return keystone.trustToken(bay.trustId)
                .onFailure().transform(e -> new HeatException(HeatException.Kind.UNAVAILABLE,
                        "no token for the bay's trust yet: " + e.getMessage()))
                .chain(token -> heat.findByName(bay.projectId, token, bay.stackName).chain(existing -> existing.isPresent()
                        ? Uni.createFrom().item(existing.get().id())
                        : heat.create(bay.projectId, token, template.forBay(bay, work.model()))
                                .onFailure(e -> e instanceof HeatException h && h.kind() == HeatException.Kind.CONFLICT)
                                .recoverWithUni(() -> heat.findByName(bay.projectId, token, bay.stackName)
                                        .map(found -> found.orElseThrow(() -> new HeatException(HeatException.Kind.UNAVAILABLE,
                                                "Heat reports stack " + bay.stackName + " exists but does not list it"))
                                                .id()))))
                .call(stackId -> bays.recordStack(bay.id, stackId)
                        .invoke(recorded -> LOG.infof("bay %s: stack %s (%s)%s", bay.uuid, bay.stackName, stackId,
                                recorded ? "" : " was already recorded")))
                .onFailure(HeatException.class).recoverWithUni(e -> {
                    HeatException h = (HeatException) e;
                    if (h.kind() == HeatException.Kind.REJECTED) {
                        LOG.infof("bay %s: Heat refused the stack: %s", bay.uuid, h.getMessage());
                        return bays.failBeforeStack(bay.id, h.getMessage()).replaceWith((String) null);
                    }
                    LOG.warnf("bay %s: waiting for Heat: %s", bay.uuid, h.getMessage());
                    return bays.noteWaiting(bay.id, "Waiting for Heat: " + h.getMessage()).replaceWith((String) null);
                });
    }
}
