package io.baystack.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.baystack.config.BaystackConfig;
import io.quarkus.runtime.Startup;

/**
 * Seals secrets for PostgreSQL with AES-256-GCM (the JDK's implementation) under
 * {@code baystack.secrets.key}. A sealed value reads {@code gcm1:<key id>:<base64 of nonce, ciphertext
 * and tag>}; the key id (a digest of the key, never the key) says which key opens it, so retired keys
 * ({@code baystack.secrets.previous-keys}) still open what they sealed. Each value is bound to a
 * context (e.g. the bay it belongs to) as associated data: a sealed value copied onto another row
 * does not open there. Checked at start-up: a missing or malformed key stops baystack.
 */
@ApplicationScoped
@Startup
public class SecretBox {

    private static final String FORMAT = "gcm1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    @Inject
    SecretBox(BaystackConfig config) {
        this(config.secrets().key(), config.secrets().previousKeys().orElse(List.of()));
    }

    /** A box with this current key and these retired ones (base64, 32 bytes each). */
    public SecretBox(String key, List<String> previous) {
        SecretKeySpec current = parse(key, "baystack.secrets.key");
        this.currentId = idOf(current);
        keys.put(currentId, current);
        for (String old : previous) {
            if (old != null && !old.isBlank()) {
                SecretKeySpec spec = parse(old, "baystack.secrets.previous-keys");
                keys.putIfAbsent(idOf(spec), spec);
            }
        }
    }

    /** The id of the key new secrets are sealed with. */
    public String currentKeyId() {
        return currentId;
    }

    /** Whether this sealed value was sealed with the current key. */
    public boolean sealedWithCurrentKey(String sealed) {
        return sealed.startsWith(FORMAT + ":" + currentId + ":");
    }

    public String seal(String secret, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return FORMAT + ":" + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** The secret; {@link SecretUnreadable} when no configured key opens it or it was not sealed for this context. */
    public String open(String sealed, String context) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
        if (parts.length != 3 || !FORMAT.equals(parts[0])) {
            throw new SecretUnreadable("not a value sealed by baystack");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new SecretUnreadable("sealed with key " + parts[1] + ", which is neither baystack.secrets.key nor one of"
                    + " baystack.secrets.previous-keys");
        }
        try {
            byte[] all = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretUnreadable("its seal does not verify under key " + parts[1] + " for this object");
        }
    }

    /**
     * A token for {@code purpose} (e.g. one bay's one-time key fetch): 32 bytes of HMAC-SHA256 of the purpose
     * under a key derived from the current key. The same purpose gives the same token, so a retried step hands
     * out the token it handed out before; no token is stored.
     */
    public byte[] token(String purpose) {
        return hmac(derived(keys.get(currentId)), purpose);
    }

    /** Whether {@code token} is {@link #token}'s for {@code purpose} under the current or a previous key (constant time). */
    public boolean isToken(byte[] token, String purpose) {
        boolean found = false;
        for (SecretKeySpec key : keys.values()) {
            found |= MessageDigest.isEqual(hmac(derived(key), purpose), token);
        }
        return found;
    }

    private static SecretKeySpec derived(SecretKeySpec key) {
        // a key of its own for tokens, so the sealing key is used for nothing else
        return new SecretKeySpec(hmac(key, "baystack token key"), "HmacSHA256");
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /** A sealed value that cannot be opened (a lost key, a value tampered with or moved). */
    public static final class SecretUnreadable extends RuntimeException {
        SecretUnreadable(String why) {
            super("A stored secret cannot be read: " + why + ".");
        }
    }

    private static SecretKeySpec parse(String base64, String setting) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " is not base64 (generate one with: head -c 32 /dev/urandom | base64)");
        }
        if (raw.length != KEY_BYTES) {
            throw new IllegalStateException(setting + " must be " + KEY_BYTES + " bytes in base64, not " + raw.length
                    + " (generate one with: head -c 32 /dev/urandom | base64)");
        }
        return new SecretKeySpec(raw, "AES");
    }

    private static String idOf(SecretKeySpec key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("baystack secrets key id".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(key.getEncoded()), 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
