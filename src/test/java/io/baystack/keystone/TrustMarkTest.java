package io.baystack.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.baystack.bay.TrustMark;
import io.baystack.support.FastTier;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A bay's trust is found again by its mark (its expiry) on the real Keystone: a delivery that follows
 * one cut off between Keystone's answer and the row takes that trust rather than making a second.
 * (The crash matrix kills the process there: CrashMatrixIT, point create-trust-made.)
 */
@FastTier
@QuarkusTest
class TrustMarkTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Trusts trusts;
    @Inject
    TokenValidator tokens;

    private final List<String> made = new ArrayList<>();

    @AfterEach
    void deleteTheTrusts() {
        made.forEach(LocalCloud::deleteTrust);
    }

    @Test
    void theTrustMadeForABayIsFoundByItsMarkAndNoOtherIs() {
        Caller demo = tokens.validate(LocalCloud.token(LocalCloud.DEMO).id()).await().atMost(WAIT);
        String bay = java.util.UUID.randomUUID().toString();
        String other = java.util.UUID.randomUUID().toString();
        Instant mark = TrustMark.created(bay);
        assertThat(mark).as("a mark far ahead, stable for the uuid").isAfter(Instant.parse("2199-12-31T23:59:59Z"))
                .isBefore(Instant.parse("3000-01-01T00:00:00Z")).isEqualTo(TrustMark.created(bay))
                .isNotEqualTo(TrustMark.created(other));

        assertThat(trusts.findMade(demo, mark).await().atMost(WAIT)).as("before any is made").isEmpty();
        String unmarked = made(trusts.create(demo, null).await().atMost(WAIT));
        String others = made(trusts.create(demo, TrustMark.created(other)).await().atMost(WAIT));
        String ours = made(trusts.create(demo, mark).await().atMost(WAIT));

        assertThat(LocalCloud.keystoneGet("/OS-TRUST/trusts/" + ours).path("trust").path("expires_at").asText())
                .as("Keystone keeps the mark").startsWith(mark.toString().replace("Z", ""));
        Optional<String> found = trusts.findMade(demo, mark).await().atMost(WAIT);
        assertThat(found).as("found among %s", List.of(unmarked, others, ours)).contains(ours);
        assertThat(trusts.findMade(demo, mark.plusSeconds(1)).await().atMost(WAIT)).as("a second later: none").isEmpty();

        // another user's trusts are not listed: the alt user has none with that mark
        Caller alt = tokens.validate(LocalCloud.token(LocalCloud.ALT).id()).await().atMost(WAIT);
        assertThat(trusts.findMade(alt, mark).await().atMost(WAIT)).isEmpty();
    }

    private String made(String trustId) {
        made.add(trustId);
        return trustId;
    }
}
