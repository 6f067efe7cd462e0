package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import io.baystack.support.FastTier;

@FastTier
class StackNameTest {

    private static final String UUID = "16cb9699-d7b2-447f-b0e6-2662a8f6b818";
    private static final String HEAT_NAME = "[a-zA-Z][a-zA-Z0-9_.-]*";

    @Test
    void isTheNameThenTwelveUuidCharacters() {
        assertThat(Bay.stackNameFor("testbay", UUID)).isEqualTo("testbay-16cb9699d7b2");
    }

    @Test
    void isStableSoARetryFindsTheSameStack() {
        // pinned to a literal: a retry (or a newer baystack) looking the stack up by name must compute this
        assertThat(Bay.stackNameFor("My_Bay.one", UUID)).isEqualTo("my-bay-one-16cb9699d7b2");
        // the uuid as a client may spell it (upper case) names the same stack as the stored lower-case one
        assertThat(Bay.stackNameFor("My_Bay.one", UUID.toUpperCase(java.util.Locale.ROOT)))
                .isEqualTo("my-bay-one-16cb9699d7b2");
    }

    @Test
    void differsBetweenBaysOfTheSameName() {
        assertThat(Bay.stackNameFor("twin", UUID))
                .isNotEqualTo(Bay.stackNameFor("twin", "26cb9699-d7b2-447f-b0e6-2662a8f6b818"));
    }

    @Test
    void longNamesAreCutAndAlwaysValidForHeat() {
        String name = Bay.stackNameFor("a".repeat(200), UUID);
        assertThat(name).hasSize(30 + 1 + 12).matches(HEAT_NAME);
        assertThat(Bay.stackNameFor("9lives", UUID)).matches(HEAT_NAME).startsWith("bay-9lives");
        assertThat(Bay.stackNameFor("ünïcode", UUID)).matches(HEAT_NAME);
    }
}
