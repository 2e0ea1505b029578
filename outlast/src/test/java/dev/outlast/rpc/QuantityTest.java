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

    @Test
    void hexDataOfAGivenWidth() {
        String hash = "0x" + "0123456789abcdefABCDEF".repeat(3).substring(0, 64);
        assertThat(Quantity.isHex(hash, 64, 64)).isTrue();
        assertThat(Quantity.isHex(hash.substring(0, 65), 64, 64)).as("63 digits").isFalse();
        assertThat(Quantity.isHex(hash + "0", 64, 64)).as("65 digits").isFalse();
        assertThat(Quantity.isHex("0X" + hash.substring(2), 64, 64)).as("capital X").isFalse();
        assertThat(Quantity.isHex(hash.substring(0, 65) + "g", 64, 64)).as("not hex").isFalse();
        assertThat(Quantity.isHex(hash.substring(0, 65) + "\uff11", 64, 64)).as("a fullwidth digit").isFalse();
        assertThat(Quantity.isHex("0x", 1, 64)).as("no digits").isFalse();
        assertThat(Quantity.isHex("0x1", 1, 64)).isTrue();
        assertThat(Quantity.isHex("x", 1, 64)).isFalse();
    }
}
