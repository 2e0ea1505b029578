package dev.outlast.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {

    private static final Map<String, String> ENV = Map.of("KEY", "k1", "HOST", "x.io", "EMPTY", "");

    @Test
    void textWithoutVariablesIsUnchanged() {
        assertThat(Interpolation.expand("http://x.io/$/{KEY}", ENV))
                .isEqualTo(new Interpolation("http://x.io/$/{KEY}", List.of(), false));
    }

    @Test
    void expandsSeveralVariablesInOneString() {
        assertThat(Interpolation.expand("https://${HOST}/v3/${KEY}?k=${KEY}${EMPTY}", ENV).value())
                .isEqualTo("https://x.io/v3/k1?k=k1");
    }

    @Test
    void doubleDollarBraceIsALiteralDollarBrace() {
        assertThat(Interpolation.expand("$${KEY} is ${KEY}, $$ stays", ENV).value()).isEqualTo("${KEY} is k1, $$ stays");
    }

    @Test
    void namesEveryUnsetVariableOnce() {
        Interpolation result = Interpolation.expand("${A}/${KEY}/${B}/${A}", ENV);

        assertThat(result.unset()).containsExactly("A", "B");
        assertThat(result.ok()).isFalse();
    }

    @Test
    void unterminatedOrInvalidNameIsMalformed() {
        assertThat(Interpolation.expand("x/${KEY", ENV).malformed()).isTrue();
        assertThat(Interpolation.expand("x/${}", ENV).malformed()).isTrue();
        assertThat(Interpolation.expand("x/${1A}", ENV).malformed()).isTrue();
        assertThat(Interpolation.expand("x/${A-B}", ENV).malformed()).isTrue();
        assertThat(Interpolation.expand("x/${_A1}", Map.of("_A1", "v")).value()).isEqualTo("x/v");
    }
}
