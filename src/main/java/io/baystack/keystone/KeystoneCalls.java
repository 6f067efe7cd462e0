package io.baystack.keystone;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;

import io.baystack.config.BaystackConfig;
import io.baystack.config.KeystoneConfig;
import io.baystack.keystone.KeystonePayloads.Token;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * The calls to Keystone the three facades share: one typed client, each call counted by kind and
 * outcome, and tokens issued to baystack's service user.
 */
@Singleton
class KeystoneCalls {

    private static final Logger LOG = Logger.getLogger(KeystoneCalls.class);

    final KeystoneConfig config;
    final KeystoneRestClient client;
    private final MeterRegistry registry;

    KeystoneCalls(BaystackConfig config, MeterRegistry registry) {
        this.registry = registry;
        this.config = config.keystone();
        this.client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(this.config.url()))
                .connectTimeout(this.config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(KeystoneRestClient.class);
    }

    /** A token of baystack's service user in {@code scope} (a project, the system, a trust). */
    Uni<ServiceToken> issue(Map<String, Object> scope) {
        Map<String, Object> user = Map.of("name", config.username(), "password", config.password(),
                "domain", Map.of("name", config.userDomainName()));
        Map<String, Object> body = Map.of("auth", Map.of(
                "identity", Map.of("methods", List.of("password"), "password", Map.of("user", user)),
                "scope", scope));
        return counted("token", client.issue(body)).map(response -> {
            Token token = response.getEntity().token();
            String value = response.getHeaderString(KeystoneRestClient.SUBJECT);
            return new ServiceToken(value, token.user().id(), Instant.parse(token.expiresAt()), token.catalog());
        }).onFailure().transform(e -> {
            LOG.warnf("Keystone refused or did not answer a token request for baystack's service user: %s", e.getMessage());
            return KeystoneException.unavailable(e);
        });
    }

    /** Counts one call to Keystone by kind and outcome [{@code baystack_keystone_calls_total}]. */
    <T> Uni<T> counted(String call, Uni<T> request) {
        return request.onItemOrFailure().invoke((item, failure) -> Counter.builder("baystack.keystone.calls")
                .description("Calls baystack made to Keystone, by kind and outcome")
                .tags("call", call, "outcome", failure == null ? "success" : outcomeOf(failure))
                .register(registry).increment());
    }

    static int status(Throwable e) {
        return e instanceof WebApplicationException w ? w.getResponse().getStatus() : 0;
    }

    private static String outcomeOf(Throwable failure) {
        return failure instanceof WebApplicationException w ? "http_" + w.getResponse().getStatus() : "unreachable";
    }
}
