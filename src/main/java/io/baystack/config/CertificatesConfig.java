package io.baystack.config;

import io.smallrye.config.WithDefault;

/**
 * {@code baystack.certificates.*}: each bay's certificate authority and the client certificates it
 * signs. The defaults are Magnum's ({@code [x509]}: RSA 2048, five years).
 */
public interface CertificatesConfig {
    /** Key type of a new CA: {@code RSA} or {@code EC} (P-256). */
    @WithDefault("RSA")
    String keyType();

    /** Size of a new CA's RSA key, in bits. */
    @WithDefault("2048")
    int rsaKeySize();

    /** Validity of a CA and of a certificate it signs, in days (a signed one never outlives its CA). */
    @WithDefault("1825")
    int validityDays();

    /** The smallest RSA key a CSR may carry (EC keys: P-256 or P-384). */
    @WithDefault("2048")
    int minRsaKeySize();
}
