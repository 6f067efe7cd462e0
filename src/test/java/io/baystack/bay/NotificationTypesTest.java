package io.baystack.bay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.baystack.support.FastTier;

@FastTier
class NotificationTypesTest {

    @Test
    void eachOperationStartsEndsOrFails() {
        assertThat(NotificationOutbox.typeOf("CREATE_IN_PROGRESS")).isEqualTo("io.baystack.bay.create.start");
        assertThat(NotificationOutbox.typeOf("CREATE_COMPLETE")).isEqualTo("io.baystack.bay.create.end");
        assertThat(NotificationOutbox.typeOf("CREATE_FAILED")).isEqualTo("io.baystack.bay.create.error");
        assertThat(NotificationOutbox.typeOf("UPDATE_COMPLETE")).isEqualTo("io.baystack.bay.update.end");
        assertThat(NotificationOutbox.typeOf("DELETE_FAILED")).isEqualTo("io.baystack.bay.delete.error");
        assertThat(NotificationOutbox.typeOf("ROLLBACK_COMPLETE")).isEqualTo("io.baystack.bay.update.rollback.end");
    }

    @Test
    void everyStatusOfABayHasAType() {
        for (BayStatus status : BayStatus.values()) {
            assertThat(NotificationOutbox.typeOf(status.name())).as(status.name()).startsWith("io.baystack.bay.");
        }
        assertThat(NotificationOutbox.typeOf(null)).isNull();
        assertThat(NotificationOutbox.typeOf("NOSUCH")).isNull();
    }
}
