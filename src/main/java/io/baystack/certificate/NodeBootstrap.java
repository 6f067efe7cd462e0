package io.baystack.certificate;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.config.BaystackConfig;
import io.baystack.secrets.SecretBox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * What a bay's nodes need from baystack to become a Kubernetes cluster, besides the CA's certificate:
 * <ul>
 * <li>the kubeadm bootstrap token the master registers and the minions join with ({@code [a-z0-9]{6}.[a-z0-9]{16}},
 * expiring after {@link #TOKEN_TTL} in the cluster);
 * <li>the hash of the CA's public key the minions pin the master's API with;
 * <li>the URL and one-time token with which the master fetches the CA's key, over TLS, while the bay is
 * being created: the key is never in the user data (Nova keeps that in clear).
 * </ul>
 * Both tokens are derived from the bay and its CA generation under baystack's secrets key
 * ({@link SecretBox#token}): a retried create hands out the same ones, and none is stored.
 */
@ApplicationScoped
public class NodeBootstrap {

    private static final Logger LOG = Logger.getLogger(NodeBootstrap.class);
    /** How long the create's bootstrap token stays valid in the cluster. */
    public static final String TOKEN_TTL = "24h";
    static final java.time.Duration TOKEN_LIFE = java.time.Duration.ofHours(24);
    /** How long before the create's token expires an update stops counting on it for the nodes it adds. */
    static final java.time.Duration TOKEN_MARGIN = java.time.Duration.ofHours(2);
    private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** A bay's bootstrap values for its stack's parameters. {@code caKeyUrl} empty: baystack's public URL is unknown. */
    public record Secrets(String bootstrapToken, String tokenTtl, String caCertHash, String caKeyUrl, String caKeyToken) {
        @Override
        public String toString() {
            return "NodeBootstrap.Secrets[caCertHash=" + caCertHash + ", caKeyUrl=" + caKeyUrl + "]";
        }
    }

    /**
     * A kubeadm bootstrap token for the nodes an update adds once the create's has expired: registered in the
     * cluster (a {@code bootstrap-token-<id>} Secret expiring at {@code expires}) before the stack gets it.
     */
    public record JoinToken(String id, String secret, java.time.Instant expires) {
        public String token() {
            return id + "." + secret;
        }

        @Override
        public String toString() {
            return "JoinToken[id=" + id + ", expires=" + expires + "]";
        }
    }

    /** The key fetch refused: no such bay or CA, a wrong token, or not any more. */
    public static final class Refused extends RuntimeException {
        public final boolean gone;

        Refused(String why, boolean gone) {
            super(why, null, false, false);
            this.gone = gone;
        }
    }

    private final SecretBox box;
    private final CaStore store;
    private final java.util.Optional<String> publicUrl;
    private volatile boolean warned;

    NodeBootstrap(SecretBox box, CaStore store, BaystackConfig config) {
        this.box = box;
        this.store = store;
        this.publicUrl = config.api().publicUrl();
    }

    public Secrets forBay(Bay bay, BayCa ca) {
        if (publicUrl.isEmpty() && !warned) {
            warned = true;
            LOG.warn("baystack.api.public-url is not set: bay masters cannot fetch their CA key, so their Kubernetes"
                    + " bootstrap stops there; set it to the URL the bays' servers reach baystack at");
        }
        String url = publicUrl.map(u -> u.replaceAll("/+$", "") + "/bootstrap/" + bay.uuid + "/ca-key").orElse("");
        return new Secrets(kubeadmToken(bay, ca), TOKEN_TTL, caCertHash(ca.certPem()), url,
                Base64.getUrlEncoder().withoutPadding().encodeToString(box.token(caKeyPurpose(bay.uuid, ca.generation()))));
    }

    /**
     * The bay's CA key for its master: once, with the token {@link #forBay} gave the stack, while the bay
     * is CREATE_IN_PROGRESS. A second fetch, a wrong token or another state is refused.
     */
    public Uni<String> fetchCaKey(String bayUuid, String token) {
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token == null ? "" : token.trim());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new Refused("The bootstrap token is malformed.", false));
        }
        return Panache.withTransaction(() -> store.findForFetch(bayUuid).chain(row -> {
            if (row == null || !box.isToken(given, caKeyPurpose(bayUuid, row.ca().generation()))) {
                return Uni.createFrom().failure(new Refused("No such bay, or the bootstrap token is not its.", false));
            }
            if (!"CREATE_IN_PROGRESS".equals(row.status())) {
                return Uni.createFrom().failure(new Refused("The bay is " + row.status()
                        + ": its CA key is handed out only while it is being created.", true));
            }
            return store.markKeyFetched(row.ca().bayId()).map(first -> {
                if (!first) {
                    throw new Refused("This bay's CA key was fetched already; it is handed out once.", true);
                }
                LOG.infof("bay %s: CA key (generation %d) fetched by its master", bayUuid, row.ca().generation());
                return box.open(row.ca().keySealed(), "bay-ca:" + bayUuid);
            });
        }));
    }

    static String caKeyPurpose(String bayUuid, int generation) {
        return "bay-ca-key-fetch:" + bayUuid + ":" + generation;
    }

    /** Whether the create's token still joins nodes an update adds now (it lives 24 h in the cluster; 2 h to spare). */
    public static boolean createTokenJoins(Bay bay, java.time.Instant now) {
        return bay.createdAt != null && now.isBefore(bay.createdAt.plus(TOKEN_LIFE).minus(TOKEN_MARGIN));
    }

    /**
     * The join token of an update made {@code now}: derived from the bay, its CA generation and the hour, so a
     * retried update within the hour registers and sends the same one; it expires 24 h from now.
     */
    public JoinToken joinToken(Bay bay, BayCa ca, java.time.Instant now) {
        String token = kubeadmToken("kubeadm-join-token:" + bay.uuid + ":" + ca.generation() + ":" + now.getEpochSecond() / 3600);
        return new JoinToken(token.substring(0, 6), token.substring(7), now.plus(TOKEN_LIFE).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private String kubeadmToken(Bay bay, BayCa ca) {
        return kubeadmToken("kubeadm-bootstrap-token:" + bay.uuid + ":" + ca.generation());
    }

    /** kubeadm's token shape, {@code [a-z0-9]{6}.[a-z0-9]{16}}, from the secrets key's HMAC of {@code purpose}. */
    private String kubeadmToken(String purpose) {
        byte[] raw = box.token(purpose);
        StringBuilder token = new StringBuilder(23);
        for (int i = 0; i < 22; i++) {
            if (i == 6) {
                token.append('.');
            }
            token.append(TOKEN_CHARS.charAt((raw[i] & 0xff) % TOKEN_CHARS.length()));
        }
        return token.toString();
    }

    /** kubeadm's discovery hash of a CA: {@code sha256:} and the hex SHA-256 of its SubjectPublicKeyInfo. */
    static String caCertHash(String certPem) {
        try {
            byte[] spki = X509.certificate(certPem).getPublicKey().getEncoded();
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the bay's CA certificate cannot be read", e);
        }
    }
}
