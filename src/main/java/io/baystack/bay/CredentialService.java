package io.baystack.bay;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.api.BaystackException;
import io.baystack.api.Noun;
import io.baystack.keystone.Caller;
import io.baystack.keystone.KeystoneException;
import io.baystack.keystone.Trusts;
import io.baystack.observability.BayLog;
import io.baystack.trace.BayTracing;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A cluster's credential rotation (Magnum 1.12, {@code PATCH /v1/credentials/{cluster}}): the bay's
 * Keystone trust, through which baystack acts for it, is replaced by a new one the caller makes now
 * with their own token and roles; baystack uses only the new one from then on.
 * <p>
 * Heat's own trust for the stack was made (redelegated) from the bay's trust of that time, and Keystone
 * deletes a redelegated trust with its parent, after which Heat cannot update the stack (seen on the
 * local cloud: 500 Unauthorized). Heat moves its trust to a new one only when a stack update comes from
 * another trustor. So:
 * <ul>
 * <li>a rotation by the user whose trust the bay had keeps the old trust (unused by baystack, deleted
 * with the bay): Heat's trust hangs off it and nothing can move it;</li>
 * <li>a rotation by another user of the project also sends the stack an update through the new trust
 * (the bay {@code UPDATE_IN_PROGRESS}, parameters unchanged), after which the Heat function deletes the
 * trusts replaced that are another trustor's ({@code conductor/RetiredTrusts}). That trust carries no
 * expiry mark ({@link TrustMark}): Heat makes a trust from it for the stack and for each nested stack, each
 * inheriting its expiry, and Keystone refuses a second trust of one trustor to one trustee in one project
 * with the same expiry (409, seen here), which failed the update. So a rotation of this kind cut short
 * between Keystone's answer and the row cannot be recognised later, and its trust stays.</li>
 * </ul>
 * baystack's templates put no credential on the nodes.
 */
@ApplicationScoped
public class CredentialService {

    private static final Logger LOG = Logger.getLogger(CredentialService.class);

    private final BayRepository bays;
    private final Trusts trusts;
    private final HandOffs handOffs;
    private final BayTracing tracing;

    CredentialService(BayRepository bays, Trusts trusts, HandOffs handOffs, BayTracing tracing) {
        this.bays = bays;
        this.trusts = trusts;
        this.handOffs = handOffs;
        this.tracing = tracing;
    }

    public Uni<Bay> rotate(String ident, Caller caller, Noun noun) {
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun)).chain(bay -> {
            if (!BayTransition.TRUST_ROTATED.allows(bay.status, bay.pendingOp, bay.stackId != null)) {
                throw BaystackException.invalid("Rotating the credentials of a " + noun.singular().toLowerCase()
                        + " when status is \"" + bay.status + "\" is not supported");
            }
            // whose trust the bay has now (gone from Keystone or none: nobody's, so no update can move Heat's)
            Uni<Optional<String>> trustor = bay.trustId == null ? Uni.createFrom().item(Optional.empty()) : trusts.trustor(bay.trustId);
            return trustor.chain(old -> {
                boolean update = old.isPresent() && !old.get().equals(caller.userId())
                        && BayTransition.TRUST_ROTATED_STACK_UPDATE.allows(bay.status, bay.pendingOp, bay.stackId != null);
                return (update ? trusts.create(caller, null) : newTrust(bay, caller)).map(made -> Map.entry(update, made));
            }).chain(rotation -> {
                boolean update = rotation.getKey();
                String made = rotation.getValue();
                BayTransition t = update ? BayTransition.TRUST_ROTATED_STACK_UPDATE : BayTransition.TRUST_ROTATED;
                BayChange change = update
                        ? BayChange.reason("Waiting for the Heat function")
                                .note("Credential rotation accepted; the stack is updated through the new trust")
                                .trace(tracing.current()).replacingTrust(bay.trustId, made)
                        : BayChange.trustReplaced(bay.trustId, made);
                return bays.apply(t, bay.id, change).chain(applied -> {
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
                    if (update) {
                        LOG.infof("bay %s: credentials rotated by another user, trust %s replaces %s; the stack is updated"
                                + " through it, then the replaced trusts of the other user go", bay.uuid, made, bay.trustId);
                        return handOffs.handOver(bay.uuid, HandOffs.UPDATE, BayLog.requestId()).replaceWith(bay);
                    }
                    // the replaced trust is not deleted: the stack's own trust (Heat's) was made from it, and Keystone
                    // deletes it along, after which Heat cannot update the stack. It goes with the bay.
                    LOG.infof("bay %s: credentials rotated, trust %s replaces %s (kept for the stack until the bay goes)",
                            bay.uuid, made, bay.trustId);
                    return Uni.createFrom().item(bay);
                });
            });
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
