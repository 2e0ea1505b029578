package dev.outlast.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void durationsTakeMillisecondsSecondsMinutesOrHours() {
        assertThat(Values.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Values.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Values.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Values.duration("1h")).isEqualTo(Duration.ofHours(1));
        for (String bad : new String[] {"500", "10 s", "1.5s", "-1s", "1d", "10S", "", "ms"}) {
            assertThatThrownBy(() -> Values.duration(bad)).as(bad).isInstanceOf(BadValue.class)
                    .hasMessage("a duration such as 500ms or 10s");
        }
    }

    @Test
    void formatsDurationsInTheirLargestExactUnit() {
        assertThat(Values.format(Duration.ofMillis(50))).isEqualTo("50ms");
        assertThat(Values.format(Duration.ofMillis(2000))).isEqualTo("2s");
        assertThat(Values.format(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(Values.format(Duration.ofMinutes(60))).isEqualTo("1h");
        assertThat(Values.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void urlsMustBeHttpOrHttpsWithAHost() {
        assertThat(Values.url("https://eth.example.io/v3/key")).isEqualTo(URI.create("https://eth.example.io/v3/key"));
        assertThat(Values.url("http://[::1]:8545")).isEqualTo(URI.create("http://[::1]:8545"));
        for (String bad : new String[] {"htp://x", "ws://x.io", "http://", "http:/x", "x.io", "http://x.io/ key",
                                        "file:///etc/passwd"}) {
            assertThatThrownBy(() -> Values.url(bad)).as(bad).isInstanceOf(BadValue.class)
                    .hasMessage("http or https URL");
        }
    }

    @Test
    void integersAreDecimalOrHex() {
        assertThat(Values.integer("1337")).isEqualTo(BigInteger.valueOf(1337));
        assertThat(Values.integer("0x539")).isEqualTo(BigInteger.valueOf(1337));
        assertThat(Values.integer("-5")).isEqualTo(BigInteger.valueOf(-5));
        assertThat(Values.integer("5e3")).isNull();
        assertThat(Values.integer("0x")).isNull();
    }
}
