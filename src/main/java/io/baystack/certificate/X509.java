package io.baystack.certificate;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import io.baystack.config.CertificatesConfig;

/**
 * A bay's CA and the certificates it signs, built with Bouncy Castle over the JDK's own crypto
 * provider (no provider registered: the same code runs in a native image). Keys and certificates
 * travel as PEM.
 */
final class X509 {

    /** A CA: its certificate and its private key (PKCS#8), both PEM. */
    record Ca(String certPem, String keyPem) {
    }

    /** A CSR that cannot be signed, with the reason the caller is told. */
    static final class CsrRefused extends RuntimeException {
        CsrRefused(String reason) {
            super(reason);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Certificates start a little in the past: a node whose clock is a few minutes behind still accepts them. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private X509() {
    }

    /** A new self-signed CA whose subject names the bay. */
    static Ca newCa(String bayName, String bayUuid, CertificatesConfig config) {
        try {
            KeyPair pair = keyPair(config);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "baystack")
                    .addRDN(BCStyle.OU, bayUuid).addRDN(BCStyle.CN, bayName).build();
            Instant now = Instant.now();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(config.validityDays()))), subject,
                    pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509CertificateHolder cert = builder.build(signer(pair.getPrivate()));
            return new Ca(pem(cert), pem(pair.getPrivate()));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a certificate authority: " + e.getMessage(), e);
        }
    }

    /**
     * The client certificate {@code ca} signs for this CSR: the CSR's subject (Kubernetes reads the
     * user from CN and the groups from O), client authentication only, never a CA, never valid past
     * the CA itself. Refused (nothing signed): text that is no PEM CSR, a CSR whose signature does
     * not verify, an empty subject, a weak or unknown key, a CSR asking to be a CA.
     */
    static String sign(String csrPem, Ca ca, CertificatesConfig config) {
        JcaPKCS10CertificationRequest csr = parseCsr(csrPem);
        PublicKey key = checkedKey(csr, config);
        try {
            X509Certificate issuer = certificate(ca.certPem());
            Instant now = Instant.now();
            Instant notAfter = now.plus(Duration.ofDays(config.validityDays()));
            if (notAfter.isAfter(issuer.getNotAfter().toInstant())) {
                notAfter = issuer.getNotAfter().toInstant();
            }
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), csr.getSubject(), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            return pem(builder.build(signer(privateKey(ca.keyPem()))));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with the bay's CA: " + e.getMessage(), e);
        }
    }

    /** A key and the client certificate {@code ca} signs for it, as {@link #sign} signs a CSR: baystack's own. */
    record Client(String certPem, String keyPem) {
    }

    /** A new key and its client certificate, subject {@code O=org, CN=cn}, signed by {@code ca}. */
    static Client client(Ca ca, String cn, String org, CertificatesConfig config) {
        try {
            KeyPair pair = keyPair(config);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, org).addRDN(BCStyle.CN, cn).build();
            PKCS10CertificationRequest csr = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(subject,
                    pair.getPublic()).build(signer(pair.getPrivate()));
            return new Client(sign(pem(csr), ca, config), pem(pair.getPrivate()));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a client certificate: " + e.getMessage(), e);
        }
    }

    static X509Certificate certificate(String pem) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            if (!(read instanceof X509CertificateHolder holder)) {
                throw new GeneralSecurityException("not a PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    private static JcaPKCS10CertificationRequest parseCsr(String pem) {
        Object read;
        try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            read = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new CsrRefused("The CSR is not a PEM certificate signing request: " + e.getMessage());
        }
        if (!(read instanceof PKCS10CertificationRequest request)) {
            throw new CsrRefused("The CSR is not a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----).");
        }
        JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(request);
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey(csr)))) {
                throw new CsrRefused("The CSR's signature does not verify with its own public key.");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new CsrRefused("The CSR's signature cannot be verified: " + e.getMessage());
        }
        if (csr.getSubject().getRDNs().length == 0) {
            throw new CsrRefused("The CSR has an empty subject: Kubernetes takes the user from its CN.");
        }
        for (var attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            Extensions asked = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
            BasicConstraints constraints = BasicConstraints.fromExtensions(asked);
            if (constraints != null && constraints.isCA()) {
                throw new CsrRefused("The CSR asks for a CA certificate (basicConstraints CA:TRUE): a bay's CA signs client"
                        + " certificates only.");
            }
        }
        return csr;
    }

    /** The CSR's public key, by the JDK's own key factories (RSA and EC; their OIDs are not aliases there). */
    private static PublicKey publicKey(JcaPKCS10CertificationRequest csr) {
        var info = csr.getSubjectPublicKeyInfo();
        var oid = info.getAlgorithm().getAlgorithm();
        String algorithm = PKCSObjectIdentifiers.rsaEncryption.equals(oid) ? "RSA"
                : X9ObjectIdentifiers.id_ecPublicKey.equals(oid) ? "EC" : null;
        if (algorithm == null) {
            throw new CsrRefused("The CSR's key is of type " + oid + "; RSA or EC keys are accepted.");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new CsrRefused("The CSR's public key cannot be read: " + e.getMessage());
        }
    }

    private static PublicKey checkedKey(JcaPKCS10CertificationRequest csr, CertificatesConfig config) {
        PublicKey key = publicKey(csr);
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < config.minRsaKeySize()) {
                throw new CsrRefused("The CSR's RSA key has " + bits + " bits; at least " + config.minRsaKeySize()
                        + " are required.");
            }
            return key;
        }
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits != 256 && bits != 384) {
                throw new CsrRefused("The CSR's EC key is on a " + bits + "-bit curve; P-256 or P-384 are accepted.");
            }
            return key;
        }
        throw new CsrRefused("The CSR's key is " + key.getAlgorithm() + "; RSA or EC keys are accepted.");
    }

    private static KeyPair keyPair(CertificatesConfig config) throws GeneralSecurityException {
        if ("EC".equalsIgnoreCase(config.keyType())) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        }
        if (!"RSA".equalsIgnoreCase(config.keyType())) {
            throw new GeneralSecurityException("baystack.certificates.key-type must be RSA or EC, not " + config.keyType());
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(config.rsaKeySize(), RANDOM);
        return generator.generateKeyPair();
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaContentSignerBuilder(algorithm).build(key);
    }

    private static PrivateKey privateKey(String pem) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            if (!(read instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info)) {
                throw new GeneralSecurityException("the stored CA key is not a PKCS#8 private key");
            }
            String algorithm = PKCSObjectIdentifiers.rsaEncryption.equals(info.getPrivateKeyAlgorithm().getAlgorithm())
                    ? "RSA" : "EC";
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        }
    }

    private static BigInteger serial() {
        // positive, at most 20 octets (RFC 5280 §4.1.2.2), unpredictable
        return new BigInteger(159, RANDOM).add(BigInteger.ONE);
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof PrivateKey key
                    ? new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded())
                    : object);
        }
        return out.toString();
    }
}
