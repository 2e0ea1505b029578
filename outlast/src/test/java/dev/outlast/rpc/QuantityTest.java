package dev.outlast.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

    @Test
    void parsesHex() {
        assertThat(Quantity.parse("0x0")).contains(0L);
        assertThat(Quantity.parse("0x1b4")).contains(436L);
        assertThat(Quantity.parse("0XFF")).contains(255L);
        assertThat(Quantity.parse("0x7fffffffffffffff")).contains(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"0x", "12", "0xZZ", "0x-1", "x12", "0x8000000000000000", "0xffffffffffffffff",
                            "0x10000000000000000"})
    void rejectsWhatIsNotANonNegativeLongInHex(String text) {
        assertThat(Quantity.parse(text)).isEmpty();
    }

    @Test
    void rejectsASignAfterThePrefix() {
        assertThat(Quantity.parse("0x+1")).isEmpty();
        assertThat(Quantity.parse("0x+ff")).isEmpty();
    }

    @Test
    void formatsWithoutLeadingZeros() {
        assertThat(Quantity.format(0)).isEqualTo("0x0");
        assertThat(Quantity.format(436)).isEqualTo("0x1b4");
    }
}
