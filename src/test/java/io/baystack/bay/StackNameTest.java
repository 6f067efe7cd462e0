package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StackNameTest {

    private static final String UUID = "16cb9699-d7b2-447f-b0e6-2662a8f6b818";
    private static final String HEAT_NAME = "[a-zA-Z][a-zA-Z0-9_.-]*";

    @Test
    void isTheNameThenTwelveUuidCharacters() {
        assertThat(Bay.stackNameFor("testbay", UUID)).isEqualTo("testbay-16cb9699d7b2");
    }

    @Test
    void isStableSoARetryFindsTheSameStack() {
        assertThat(Bay.stackNameFor("My_Bay.one", UUID)).isEqualTo(Bay.stackNameFor("My_Bay.one", UUID));
        assertThat(Bay.stackNameFor("My_Bay.one", UUID)).isEqualTo("my-bay-one-16cb9699d7b2");
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
