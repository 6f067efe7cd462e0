package io.baystack.conductor;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.bay.Bay;
import io.baystack.certificate.BayCa;
import io.baystack.certificate.CertificateService;
import io.baystack.certificate.NodeBootstrap;
import io.baystack.certificate.NodeBootstrap.JoinToken;
import io.baystack.config.BaystackConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The join token of the nodes a stack update adds. The create's bootstrap token lives 24 h in the cluster;
 * no token that never expires is left in the open. So an update made later registers a fresh one in the
 * bay's Kubernetes (a {@code bootstrap-token-<id>} Secret in kube-system, as kubeadm makes them, expiring
 * in 24 h) with baystack's client certificate of the bay's CA, and the stack gets it for its new nodes.
 */
@ApplicationScoped
public class ClusterTokens {

    private static final Logger LOG = Logger.getLogger(ClusterTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRETS = "/api/v1/namespaces/kube-system/secrets";

    private final NodeBootstrap nodes;
    private final CertificateService certificates;
    private final Vertx vertx;
    private final Duration timeout;

    ClusterTokens(NodeBootstrap nodes, CertificateService certificates, Vertx vertx, BaystackConfig config) {
        this.nodes = nodes;
        this.certificates = certificates;
        this.vertx = vertx;
        this.timeout = config.bayHealth().timeout();
    }

    /**
     * The bootstrap token an update made now sends to the stack: none (null) while the create's still joins
     * nodes, else a fresh one once the cluster took it. A cluster that does not take it (its API down) gets
     * none: nodes the update adds then cannot join, and their wait conditions fail the update with why.
     */
    public Uni<String> forUpdate(Bay bay, BayCa ca, Instant now) {
        if (ca == null || NodeBootstrap.createTokenJoins(bay, now)) {
            return Uni.createFrom().nullItem();
        }
        JoinToken token = nodes.joinToken(bay, ca, now);
        return register(bay, token).map(taken -> taken ? token.token() : null);
    }

    /** Registers the token in the bay's cluster; answers whether the cluster has it (made now, or before). */
    public Uni<Boolean> register(Bay bay, JoinToken token) {
        if (bay.apiAddress == null || bay.apiAddress.isBlank()) {
            LOG.warnf("bay %s: no API address to register a join token at", bay.uuid);
            return Uni.createFrom().item(false);
        }
        URI uri = URI.create(bay.apiAddress);
        return certificates.clientCredentials(bay).chain(credentials -> {
            if (credentials == null && "https".equals(uri.getScheme())) {
                LOG.warnf("bay %s: no CA to reach its API with: join token not registered", bay.uuid);
                return Uni.createFrom().item(false);
            }
            var client = BayApiClients.open(vertx, uri, credentials, timeout);
            return client.request(HttpMethod.POST, BayApiClients.port(uri), uri.getHost(), SECRETS)
                    .chain(request -> request.putHeader("Content-Type", "application/json").putHeader("Accept", "application/json")
                            .send(Buffer.buffer(secret(bay, token))))
                    .chain(response -> response.body().map(body -> {
                        // 409: this hour's token is there already (a retried update)
                        boolean taken = response.statusCode() == 201 || response.statusCode() == 200 || response.statusCode() == 409;
                        if (taken) {
                            LOG.infof("bay %s: join token %s registered in the cluster, expiring %s", bay.uuid, token.id(), token.expires());
                        } else {
                            LOG.warnf("bay %s: the cluster refused join token %s: %d %s", bay.uuid, token.id(),
                                    response.statusCode(), body.toString().trim());
                        }
                        return taken;
                    }))
                    .ifNoItem().after(timeout).fail()
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("bay %s: join token %s not registered, the cluster's API did not answer: %s", bay.uuid,
                                token.id(), e.getMessage());
                        return false;
                    })
                    .eventually(() -> client.close().onFailure().recoverWithNull());
        });
    }

    /** The Secret kubeadm's bootstrap tokens are, for joining nodes only (authentication and signing). */
    static String secret(Bay bay, JoinToken token) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("description", "baystack: nodes added to bay " + bay.uuid);
        data.put("token-id", token.id());
        data.put("token-secret", token.secret());
        data.put("expiration", token.expires().toString());
        data.put("usage-bootstrap-authentication", "true");
        data.put("usage-bootstrap-signing", "true");
        data.put("auth-extra-groups", "system:bootstrappers:kubeadm:default-node-token");
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", Map.of("name", "bootstrap-token-" + token.id(), "namespace", "kube-system"));
        secret.put("type", "bootstrap.kubernetes.io/token");
        secret.put("stringData", data);
        try {
            return JSON.writeValueAsString(secret);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
