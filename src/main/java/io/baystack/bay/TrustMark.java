package io.baystack.bay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;

/**
 * What marks a bay's trusts in Keystone, where a trust has no name or description: its expiry, a
 * second in the years 2200 to 2999 drawn from the bay's uuid and what the trust is for. A trust made
 * and then not recorded (the process died between Keystone's answer and the row, or the answer was
 * lost) is found again by it among the trusts its trustor made, rather than left behind. Two trusts
 * of one trustor sharing a second (1 in 2.5e10 per pair) is what would make a look-up take the other's.
 */
public final class TrustMark {

    private static final Instant FIRST = Instant.parse("2200-01-01T00:00:00Z");
    private static final long SPAN = Duration.between(FIRST, Instant.parse("3000-01-01T00:00:00Z")).toSeconds();

    private TrustMark() {
    }

    /** The expiry of the trust the Heat function makes for the bay, from its creator's token. */
    public static Instant created(String bayUuid) {
        return drawn(bayUuid);
    }

    /**
     * The expiry of the trust a credential rotation makes for the bay when the row names {@code named}
     * trusts (1 before the first rotation): each rotation's is its own, as Keystone refuses (409) a second
     * trust of one trustor to one trustee in one project with the same expiry.
     */
    public static Instant rotated(String bayUuid, int named) {
        return drawn(bayUuid + "/rotation/" + named);
    }

    private static Instant drawn(String seed) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return FIRST.plusSeconds(Math.floorMod(ByteBuffer.wrap(digest).getLong(), SPAN));
    }
}
