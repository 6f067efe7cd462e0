package io.baystack.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.baystack.support.FastTier;

@FastTier
class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final String NEXT = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());
    private static final String SECRET = "-----BEGIN PRIVATE KEY-----\nMIIEv...\n-----END PRIVATE KEY-----\n";

    @Test
    void sealedSecretsOpenForTheirOwnContextOnly() {
        SecretBox box = new SecretBox(KEY, List.of());
        String sealed = box.seal(SECRET, "bay-ca:a");
        assertThat(sealed).startsWith("gcm1:" + box.currentKeyId() + ":").doesNotContain("PRIVATE").doesNotContain("MIIEv");
        assertThat(box.seal(SECRET, "bay-ca:a")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(box.open(sealed, "bay-ca:a")).isEqualTo(SECRET);
        assertThatThrownBy(() -> box.open(sealed, "bay-ca:b")).isInstanceOf(SecretBox.SecretUnreadable.class);
        int at = sealed.length() / 2; // inside the ciphertext, away from base64's padding bits
        String flipped = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
        assertThatThrownBy(() -> box.open(flipped, "bay-ca:a")).isInstanceOf(SecretBox.SecretUnreadable.class);
    }

    @Test
    void aRotatedKeyStillOpensWhatTheOldOneSealedAndALostOneSaysSo() {
        String old = new SecretBox(KEY, List.of()).seal(SECRET, "c");
        SecretBox rotated = new SecretBox(NEXT, List.of(KEY));
        assertThat(rotated.sealedWithCurrentKey(old)).isFalse();
        assertThat(rotated.open(old, "c")).isEqualTo(SECRET);
        assertThat(rotated.sealedWithCurrentKey(rotated.seal(SECRET, "c"))).isTrue();

        SecretBox lost = new SecretBox(NEXT, List.of());
        assertThatThrownBy(() -> lost.open(old, "c")).isInstanceOf(SecretBox.SecretUnreadable.class)
                .hasMessageContaining("neither baystack.secrets.key nor one of baystack.secrets.previous-keys");
    }

    @Test
    void aKeyThatIsNot32BytesOfBase64StopsBaystack() {
        assertThatThrownBy(() -> new SecretBox("Y2hhbmdlLW1l", List.of())).hasMessageContaining("baystack.secrets.key must be 32 bytes");
        assertThatThrownBy(() -> new SecretBox("not base64!", List.of())).hasMessageContaining("is not base64");
        assertThatThrownBy(() -> new SecretBox(KEY, List.of("c2hvcnQ="))).hasMessageContaining("previous-keys must be 32 bytes");
    }
}
