package io.baystack.conductor;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.bay.BayChange;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayTransition;
import io.baystack.bay.TrustMark;
import io.baystack.conductor.CrashPoints.Point;
import io.baystack.heat.HeatException;
import io.baystack.keystone.Caller;
import io.baystack.keystone.KeystoneException;
import io.baystack.keystone.Trusts;
import io.baystack.secrets.SecretBox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The bay's Keystone trust, made by the Heat function before its first Heat call (as Magnum's
 * conductor makes it), from the creator's token the request sealed into the row. Recording the trust
 * drops the token in the same statement, so the token rests only until the trust exists. A token
 * Keystone no longer takes (expired, revoked) or a trust it refuses fails the bay for good
 * ({@link Unmade}); an unreachable Keystone is a wait like Heat's.
 */
@ApplicationScoped
public class BayTrust {

    private static final Logger LOG = Logger.getLogger(BayTrust.class);

    /** The trust cannot be made, ever: the bay's create fails with this message as its reason. */
    public static final class Unmade extends RuntimeException {
        Unmade(String message) {
            super(message, null, false, false);
        }
    }

    private final BayRepository bays;
    private final Trusts trusts;
    private final SecretBox box;
    private final CrashPoints crash;

    BayTrust(BayRepository bays, Trusts trusts, SecretBox box, CrashPoints crash) {
        this.bays = bays;
        this.trusts = trusts;
        this.box = box;
        this.crash = crash;
    }

    /** The id of the bay's trust: the one it has, else one made now and recorded. */
    public Uni<String> ensure(Bay bay) {
        if (bay.trustId != null) {
            return Uni.createFrom().item(bay.trustId);
        }
        if (bay.trustorToken == null) {
            // another delivery made it since this one read the row
            return recorded(bay);
        }
        if (bay.trustorExpiresAt != null && !bay.trustorExpiresAt.isAfter(Instant.now())) {
            return Uni.createFrom().failure(new Unmade("The token of the request that created this bay expired at "
                    + bay.trustorExpiresAt + ", before baystack could make the bay's trust from it; nothing was built."
                    + " Create the bay again."));
        }
        List<String> roles = bay.trustorRoles == null ? List.of() : bay.trustorRoles;
        Instant marker = TrustMark.created(bay.uuid);
        // a delivery before this one claimed the create or waited: it may have made the trust and died (or
        // lost Keystone's answer) before recording it, so that one is looked for before a second is made
        boolean triedBefore = bay.createClaimUntil != null || bay.heatAttempts > 0;
        // opened here, in memory, for the Keystone calls; a value that does not open fails the bay
        return Uni.createFrom().item(() -> box.open(bay.trustorToken, Bay.trustorContext(bay.uuid)))
                .map(token -> new Caller(bay.userId, null, bay.projectId, null, roles, token, bay.trustorExpiresAt))
                .chain(caller -> !triedBefore ? trusts.create(caller, marker)
                        : trusts.findMade(caller, marker).chain(found -> found.isPresent()
                                ? Uni.createFrom().item(found.get()).invoke(id -> LOG.infof(
                                        "bay %s: trust %s, made by an earlier delivery, found in Keystone", bay.uuid, id))
                                : trusts.create(caller, marker)))
                .call(trustId -> crash.pass(Point.CREATE_TRUST_MADE, bay.uuid))
                .onFailure(KeystoneException.class).transform(e -> switch (((KeystoneException) e).kind()) {
                    case UNAUTHORIZED -> new Unmade("Keystone no longer accepts the token of the request that created"
                            + " this bay (expired or revoked), so baystack could not make the bay's trust; nothing was built."
                            + " Create the bay again.");
                    case FORBIDDEN -> new Unmade(e.getMessage());
                    case UNAVAILABLE -> new HeatException(HeatException.Kind.UNAVAILABLE,
                            "no trust for the bay yet: " + e.getMessage(), false);
                })
                .chain(trustId -> bays.apply(BayTransition.TRUST_RECORDED, bay.id, BayChange.trust(trustId))
                        .chain(applied -> {
                            if (applied.changed()) {
                                LOG.debugf("bay %s: trust made", bay.uuid);
                                bay.trustId = trustId;
                                return Uni.createFrom().item(trustId);
                            }
                            // another delivery recorded one first (or the bay is gone): this one is not needed
                            return trusts.delete(trustId).chain(() -> recorded(bay));
                        }));
    }

    /**
     * A token of the bay's trust (made first if need be). Keystone out of reach is a wait, as Heat's
     * is (nothing was sent to Heat); {@link Unmade} when the trust cannot be made.
     */
    public Uni<String> token(Bay bay) {
        return ensure(bay).chain(trusts::token)
                .onFailure(KeystoneException.class).transform(e -> new HeatException(HeatException.Kind.UNAVAILABLE,
                        "no token for the bay's trust yet: " + e.getMessage(), false));
    }

    private Uni<String> recorded(Bay bay) {
        return Panache.withSession(() -> bays.findByUuid(bay.uuid)).map(current -> {
            if (current == null || current.trustId == null) {
                throw new Unmade("The bay has no trust and no token to make one from; nothing was built.");
            }
            bay.trustId = current.trustId;
            return current.trustId;
        });
    }
}
