package io.baystack.conductor;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.keystone.Trusts;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The trusts a credential rotation replaced, deleted once Heat no longer needs them. Heat's own trust for a
 * stack was made (redelegated) from a trust of the bay, and moves to a new one only when a stack update
 * comes from another trustor; Keystone deletes a redelegated trust with its parent. Right after Heat took an
 * update through the bay's trust, Heat's trust is one of that trust's trustor: every replaced trust of
 * another trustor can go, those of the same trustor stay (one of them may be Heat's parent) until the bay
 * goes. Best effort: what is not deleted now goes with the bay.
 */
@ApplicationScoped
public class RetiredTrusts {

    private static final Logger LOG = Logger.getLogger(RetiredTrusts.class);

    private final Trusts trusts;

    RetiredTrusts(Trusts trusts) {
        this.trusts = trusts;
    }

    /** After Heat accepted an update of {@code bay}'s stack made through its trust ({@code bay.trustId}). */
    Uni<Void> afterUpdateThrough(Bay bay) {
        List<String> retired = bay.allTrustIds().stream().filter(id -> !id.equals(bay.trustId)).toList();
        if (retired.isEmpty() || bay.trustId == null) {
            return Uni.createFrom().voidItem();
        }
        return trusts.trustor(bay.trustId).chain(current -> current.isEmpty() ? Uni.createFrom().voidItem()
                : Multi.createFrom().iterable(retired).onItem().transformToUniAndConcatenate(id -> trusts.trustor(id)
                        .chain(trustor -> another(trustor, current.get())
                                ? trusts.delete(id).invoke(() -> LOG.infof("bay %s: trust %s, replaced by a rotation of"
                                        + " another user, deleted now that Heat holds the new one", bay.uuid, id))
                                : Uni.createFrom().voidItem()))
                        .collect().last().replaceWithVoid())
                .onFailure().invoke(e -> LOG.warnf("bay %s: the trusts a rotation replaced stay for now: %s", bay.uuid,
                        e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static boolean another(Optional<String> trustor, String current) {
        return trustor.isPresent() && !trustor.get().equals(current);
    }
}
