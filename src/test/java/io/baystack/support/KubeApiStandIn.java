package io.baystack.support;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * A stand-in of a bay's Kubernetes API for the health tests (no Kubernetes can run here): HTTPS on
 * 127.0.0.1 with a server certificate the bay's CA signs, asking every client for a certificate of that
 * CA (as an apiserver started with the CA as its client CA does), answering {@code /readyz} and
 * {@code /api/v1/nodes} with nodes whose Ready condition the test sets, and taking kube-system Secrets (a
 * bootstrap token's) as the API does: 201, or 409 for a name it has. It records the subject of each client
 * certificate it was shown and the Secrets it took.
 */
public final class KubeApiStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> nodes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> kubelets = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> clients = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> secrets = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger secretPosts = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int readyz = 200;

    private KubeApiStandIn(HttpServer server) {
        this.server = server;
    }

    /** Starts the stand-in on a free port of 127.0.0.1 for the bay whose CA is {@code caCertPem}/{@code caKeyPem}. */
    public static KubeApiStandIn start(Vertx vertx, String caCertPem, String caKeyPem) throws Exception {
        String[] serverPem = serverCertificate(caCertPem, caKeyPem);
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(serverPem[0])).setKeyValue(Buffer.buffer(serverPem[1])))
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caCertPem))).setClientAuth(ClientAuth.REQUIRED);
        KubeApiStandIn[] self = new KubeApiStandIn[1];
        HttpServer server = vertx.createHttpServer(options).requestHandler(request -> {
            try {
                self[0].clients.add(((X509Certificate) request.connection().peerCertificates().get(0)).getSubjectX500Principal().getName());
            } catch (Exception e) {
                self[0].clients.add("none: " + e.getMessage());
            }
            if (request.method() == io.vertx.core.http.HttpMethod.POST && "/api/v1/namespaces/kube-system/secrets".equals(request.path())) {
                request.body().onSuccess(body -> self[0].takeSecret(request, body.toString()));
                return;
            }
            switch (request.path()) {
                case "/readyz" -> request.response().setStatusCode(self[0].readyz).end(self[0].readyz == 200 ? "ok" : "[-]etcd failed");
                case "/api/v1/nodes" -> request.response().putHeader("Content-Type", "application/json").end(self[0].nodeList());
                default -> request.response().setStatusCode(404).end();
            }
        });
        self[0] = new KubeApiStandIn(server);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return self[0];
    }

    /** The API's address as a bay shows it. */
    public String address() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    /** A node and its Ready condition ("True", "False", "Unknown"), its kubelet on {@link #KUBELET} unless set. */
    public KubeApiStandIn node(String name, String ready) {
        nodes.put(name, ready);
        return this;
    }

    /** The release a node's kubelet reports (status.nodeInfo.kubeletVersion). */
    public KubeApiStandIn kubelet(String name, String version) {
        kubelets.put(name, version);
        return this;
    }

    /** What a node's kubelet reports unless {@link #kubelet} says otherwise. */
    public static final String KUBELET = "v1.34.2";

    public KubeApiStandIn readyz(int status) {
        this.readyz = status;
        return this;
    }

    @SuppressWarnings("unchecked")
    private void takeSecret(io.vertx.core.http.HttpServerRequest request, String body) {
        secretPosts.incrementAndGet();
        try {
            Map<String, Object> secret = JSON.readValue(body, Map.class);
            String name = String.valueOf(((Map<String, Object>) secret.get("metadata")).get("name"));
            boolean made = secrets.putIfAbsent(name, secret) == null;
            request.response().setStatusCode(made ? 201 : 409).putHeader("Content-Type", "application/json").end(made ? body
                    : "{\"kind\":\"Status\",\"reason\":\"AlreadyExists\",\"code\":409}");
        } catch (Exception e) {
            request.response().setStatusCode(400).end(e.getMessage());
        }
    }

    /** The kube-system Secrets the stand-in took, by name. */
    public Map<String, Map<String, Object>> secrets() {
        return secrets;
    }

    /** How many Secret creates it was asked for (taken or not). */
    public int secretPosts() {
        return secretPosts.get();
    }

    /** The subjects of the client certificates the stand-in was shown, in order. */
    public List<String> clients() {
        return clients;
    }

    private String nodeList() {
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        new java.util.TreeMap<>(nodes).forEach((name, ready) -> items.add(Map.of("metadata", Map.of("name", name),
                "status", Map.of("conditions", List.of(Map.of("type", "MemoryPressure", "status", "False"),
                        Map.of("type", "Ready", "status", ready)),
                        "nodeInfo", Map.of("kubeletVersion", kubelets.getOrDefault(name, KUBELET), "osImage", "Debian GNU/Linux 13")))));
        try {
            return JSON.writeValueAsString(Map.of("kind", "NodeList", "apiVersion", "v1", "items", items));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A server certificate for 127.0.0.1 signed by the CA: {cert PEM, key PEM}. */
    private static String[] serverCertificate(String caCertPem, String caKeyPem) throws Exception {
        X509Certificate ca;
        PrivateKey caKey;
        try (PEMParser certs = new PEMParser(new StringReader(caCertPem)); PEMParser keys = new PEMParser(new StringReader(caKeyPem))) {
            ca = new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) certs.readObject());
            caKey = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) keys.readObject());
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        X509CertificateHolder cert = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=kube-apiserver"), pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                .build(new JcaContentSignerBuilder("EC".equals(caKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA").build(caKey));
        return new String[] { pem(cert), pem(pair.getPrivate()) };
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o instanceof PrivateKey key ? new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()) : o);
        }
        return out.toString();
    }
}
