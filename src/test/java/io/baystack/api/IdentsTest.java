package io.baystack.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Uuids as stored: lower case and dashed, whatever form the caller used. */
class IdentsTest {

    private static final String UUID = "5d12f6fd-a196-4bf0-ae4c-1f639a523a52";

    @Test
    void anyFormOfAUuidIsMadeCanonical() {
        assertThat(Idents.canonical(UUID)).isEqualTo(UUID);
        assertThat(Idents.canonical(UUID.toUpperCase())).isEqualTo(UUID);
        assertThat(Idents.canonical(UUID.replace("-", ""))).isEqualTo(UUID);
        assertThat(Idents.canonical(UUID.replace("-", "").toUpperCase())).isEqualTo(UUID);
    }

    @Test
    void namesAreLeftAsGiven() {
        assertThat(Idents.canonical("My-Bay")).isEqualTo("My-Bay");
        assertThat(Idents.canonical("")).isEmpty();
        assertThat(Idents.canonical(null)).isNull();
    }
}
