package io.baystack.certificate;

/** CSRs for tests outside this package: a fresh RSA 2048 key, this subject. */
public final class Csrs {

    private Csrs() {
    }

    public static String pem(String subject) throws Exception {
        return X509Test.csr(X509Test.rsa(2048), subject, false);
    }
}
