package io.baystack.conductor;

import java.net.URI;
import java.time.Duration;

import io.baystack.certificate.CertificateService.ClientCredentials;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * HTTP clients of a bay's Kubernetes API as baystack talks to it: over TLS, trusting the bay's CA alone,
 * showing a client certificate that CA signed (O=system:masters), every call bounded.
 */
final class BayApiClients {

    private BayApiClients() {
    }

    /** A client of the API at {@code uri}; {@code credentials} may be null only for plain HTTP. */
    static HttpClient open(Vertx vertx, URI uri, ClientCredentials credentials, Duration timeout) {
        boolean tls = "https".equals(uri.getScheme());
        HttpClientOptions options = new HttpClientOptions().setSsl(tls)
                .setConnectTimeout((int) timeout.toMillis()).setIdleTimeout((int) timeout.toSeconds() + 1);
        if (tls) {
            options.setVerifyHost(true)
                    .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(Buffer.buffer(credentials.keyPem()))
                            .setCertValue(Buffer.buffer(credentials.certPem())))
                    .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(credentials.caPem())));
        }
        return vertx.createHttpClient(options);
    }

    /** The API's port: the URI's own, else the scheme's. */
    static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    }
}
