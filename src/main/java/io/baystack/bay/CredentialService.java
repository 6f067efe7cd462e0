package io.baystack.bay;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.api.BaystackException;
import io.baystack.api.Noun;
import io.baystack.keystone.Caller;
import io.baystack.keystone.KeystoneException;
import io.baystack.keystone.Trusts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A cluster's credential rotation (Magnum 1.12, {@code PATCH /v1/credentials/{cluster}}): the bay's
 * Keystone trust, through which baystack acts for it, is replaced by a new one the caller makes now
 * with their own token and roles; baystack uses only the new one from then on. The old one cannot be
 * deleted at once: Heat's own trust for the stack was made from it, Keystone deletes it along, and
 * Heat then cannot load the stack at all (HTTP 401, seen on the local cloud). It is kept, unused by
 * baystack, and deleted with the bay. baystack's templates put no credential on the nodes.
 */
@ApplicationScoped
public class CredentialService {

    private static final Logger LOG = Logger.getLogger(CredentialService.class);

    private final BayRepository bays;
    private final Trusts trusts;

    CredentialService(BayRepository bays, Trusts trusts) {
        this.bays = bays;
        this.trusts = trusts;
    }

    public Uni<Bay> rotate(String ident, Caller caller, Noun noun) {
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun)).chain(bay -> {
            if (!BayTransition.TRUST_ROTATED.allows(bay.status, bay.pendingOp, bay.stackId != null)) {
                throw BaystackException.invalid("Rotating the credentials of a " + noun.singular().toLowerCase()
                        + " when status is \"" + bay.status + "\" is not supported");
            }
            return newTrust(bay, caller).chain(made -> bays.apply(BayTransition.TRUST_ROTATED, bay.id,
                    BayChange.trustReplaced(bay.trustId, made)).chain(applied -> {
                        if (!applied.changed()) {
                            // another rotation (or an operation) came first. Two rotations of one caller side by side
                            // may hold the same trust (one made it, the other met Keystone's 409 and took it): it goes
                            // only if the row, as the winner left it, does not name it
                            return Panache.withSession(() -> bays.findByUuid(bay.uuid))
                                    .chain(now -> now != null && now.allTrustIds().contains(made)
                                            ? Uni.createFrom().voidItem() : trusts.delete(made))
                                    .invoke(() -> {
                                        throw BaystackException.conflict(noun.singular() + " " + bay.uuid
                                                + " changed while its credentials were being rotated. Retry.");
                                    }).replaceWith(bay);
                        }
                        // the replaced trust is not deleted now: the stack's own trust (Heat's) was made from it, and
                        // Keystone deletes it along, after which Heat cannot load the stack (401). It goes with the bay.
                        LOG.infof("bay %s: credentials rotated, trust %s replaces %s (kept for the stack until the bay goes)",
                                bay.uuid, made, bay.trustId);
                        return Uni.createFrom().item(bay);
                    }));
        });
    }

    /**
     * The trust this rotation puts in place, marked as this rotation's ({@link TrustMark#rotated}). A
     * rotation by the same caller from the same row that was cut short (the process died between
     * Keystone's answer and the row, or the answer was lost) made one with that mark, which no row names:
     * Keystone refuses a second (409) and that one is taken.
     */
    private Uni<String> newTrust(Bay bay, Caller caller) {
        java.util.List<String> named = bay.allTrustIds();
        Instant mark = TrustMark.rotated(bay.uuid, named.size());
        return trusts.create(caller, mark).onFailure(KeystoneException.class).recoverWithUni(e -> trusts.findMade(caller, mark)
                .map(found -> found.filter(id -> !named.contains(id)).orElseThrow(() -> (KeystoneException) e))
                .invoke(id -> LOG.infof("bay %s: trust %s, made by a rotation cut short, taken for this one", bay.uuid, id)));
    }
}
