package io.baystack.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

import io.baystack.config.CertificatesConfig;
import io.baystack.support.FastTier;

/** The bay's CA and what it signs, checked with the JDK's own PKIX validator (no baystack code in the check). */
@FastTier
class X509Test {

    static final CertificatesConfig DEFAULTS = config("RSA", 2048);

    @Test
    void aNewCaIsASelfSignedCaNamingItsBay() throws Exception {
        X509.Ca ca = X509.newCa("k8s, \"prod\"", "5e0c6c1c-0000-4000-8000-000000000001", DEFAULTS);
        X509Certificate cert = X509.certificate(ca.certPem());
        cert.verify(cert.getPublicKey());
        assertThat(cert.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getSubjectX500Principal().getName()).contains("5e0c6c1c-0000-4000-8000-000000000001")
                .contains("O=baystack");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(ca.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        long days = (cert.getNotAfter().getTime() - cert.getNotBefore().getTime()) / 86_400_000L;
        assertThat(days).isBetween(1824L, 1826L);
        assertThat(X509.newCa("k8s", "u", config("EC", 2048)).certPem()).isNotEqualTo(ca.certPem());
        assertThat(X509.certificate(X509.newCa("k8s", "u", config("EC", 2048)).certPem()).getPublicKey().getAlgorithm())
                .isEqualTo("EC");
    }

    @Test
    void aSignedClientCertificateChainsToItsCaOnlyAndKeepsTheCsrSubject() throws Exception {
        X509.Ca ca = X509.newCa("k8s", "u1", DEFAULTS);
        X509.Ca other = X509.newCa("k8s", "u1", DEFAULTS);
        X509Certificate client = X509.certificate(X509.sign(csr(rsa(2048), "CN=admin,O=system:masters", false), ca, DEFAULTS));

        assertThat(client.getSubjectX500Principal().getName().split(",")).containsExactlyInAnyOrder("CN=admin",
                "O=system:masters");
        assertThat(client.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        validate(client, X509.certificate(ca.certPem()));
        // the same bay's next CA (a rotation) does not accept it
        assertThatThrownBy(() -> validate(client, X509.certificate(other.certPem())))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void anEcCsrIsSignedToo() throws Exception {
        X509.Ca ca = X509.newCa("k8s", "u2", DEFAULTS);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        validate(X509.certificate(X509.sign(csr(ec.generateKeyPair(), "CN=viewer", false), ca, DEFAULTS)),
                X509.certificate(ca.certPem()));
    }

    @Test
    void badCsrsAreRefusedWithTheirReason() throws Exception {
        X509.Ca ca = X509.newCa("k8s", "u3", DEFAULTS);
        assertRefused("not a PEM", "garbage", ca);
        assertRefused("not a PEM", ca.certPem(), ca);
        assertRefused("1024 bits; at least 2048", csr(rsa(1024), "CN=admin", false), ca);
        assertRefused("asks for a CA certificate", csr(rsa(2048), "CN=evil", true), ca);
        assertRefused("empty subject", csr(rsa(2048), "", false), ca);
        assertRefused("signature", tampered(csr(rsa(2048), "CN=admin", false)), ca);
    }

    private static void assertRefused(String reason, String csr, X509.Ca ca) {
        assertThatThrownBy(() -> X509.sign(csr, ca, DEFAULTS)).isInstanceOf(X509.CsrRefused.class).hasMessageContaining(reason);
    }

    static void validate(X509Certificate cert, X509Certificate ca) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)),
                params);
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    static String csr(KeyPair pair, String subject, boolean askCa) throws Exception {
        PKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
                pair.getPublic());
        if (askCa) {
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                    new Extensions(new Extension(Extension.basicConstraints, true, new BasicConstraints(true).getEncoded())));
        }
        String algorithm = "EC".equals(pair.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        PKCS10CertificationRequest request = builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(request);
        }
        return out.toString();
    }

    /** The same CSR with one bit of its signature flipped. */
    private static String tampered(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        der[der.length - 10] ^= 0x01;
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    static CertificatesConfig config(String type, int minRsa) {
        return new CertificatesConfig() {
            public String keyType() {
                return type;
            }

            public int rsaKeySize() {
                return 2048;
            }

            public int validityDays() {
                return 1825;
            }

            public int minRsaKeySize() {
                return minRsa;
            }
        };
    }
}
