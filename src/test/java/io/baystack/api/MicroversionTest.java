package io.baystack.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import io.baystack.support.FastTier;

@FastTier
class MicroversionTest {

    @Test
    void absentMeansTheMinimum() {
        assertThat(Microversion.parse(null)).isEqualTo(new Microversion(1, 1));
        assertThat(Microversion.parse("  ")).isEqualTo(new Microversion(1, 1));
    }

    @Test
    void latestMeansTheMaximum() {
        assertThat(Microversion.parse("container-infra latest")).isEqualTo(new Microversion(1, 12));
        assertThat(Microversion.parse("Container-Infra LATEST")).isEqualTo(Microversion.MAX);
    }

    @Test
    void versionsCompareNumericallyNotAsText() {
        assertThat(Microversion.parse("container-infra 1.10").atLeast(Microversion.parse("container-infra 1.2")))
                .isTrue();
        // Magnum 2026.1's 1.11 and 1.12 are served
        assertThat(Microversion.parse("container-infra 1.12")).isEqualTo(Microversion.CREDENTIALS);
        assertThat(Microversion.parse("container-infra 1.11").atLeast(Microversion.parse("container-infra 1.10"))).isTrue();
        assertThat(Microversion.parse("container-infra 1.1").atLeast(Microversion.ASYNC_BAYS)).isFalse();
    }

    @Test
    void outsideTheRangeOrMalformedIsNotAcceptable() {
        for (String bad : new String[] { "container-infra 1.13", "container-infra 1.0", "container-infra 2.1",
                "container-infra 1", "container-infra one.two", "compute 2.1", "container-infra", "1.2" }) {
            assertThatThrownBy(() -> Microversion.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(BaystackException.class,
                            e -> assertThat(e.kind()).isEqualTo(BaystackException.Kind.NOT_ACCEPTABLE));
        }
    }
}
