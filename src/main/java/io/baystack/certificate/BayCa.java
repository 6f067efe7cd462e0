package io.baystack.certificate;

/**
 * A bay's certificate authority as the Heat function hands it to the stack: the certificate and the
 * private key (PEM, in memory only; stored sealed), and how many CAs the bay has had.
 */
public record BayCa(String certPem, String keyPem, int generation) {

    @Override
    public String toString() {
        // never the key, whatever prints this record
        return "BayCa[generation=" + generation + "]";
    }
}
