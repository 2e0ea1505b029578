package dev.outlast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifyKeyTest {

    private static String yaml(String verify) {
        return "chains:\n  - id: devnet\n    chainId: 1337\n" + verify
                + "    upstreams:\n      - name: a\n        url: http://127.0.0.1:8545\n"
                + "      - name: b\n        url: http://127.0.0.1:8546\n";
    }

    private static VerifyConfig parse(String verify) {
        return ConfigLoader.parse(yaml(verify), Map.of(), "test.yaml").chains().get(0).verify();
    }

    @Test
    void verifyDefaultsToAutoWithoutUnverifiedAnswers() {
        assertThat(parse("")).isEqualTo(new VerifyConfig(VerifyMode.AUTO, false));
    }

    @Test
    void eachModeIsAcceptedInTheShortForm() {
        assertThat(parse("    verify: proofs\n")).isEqualTo(VerifyConfig.of(VerifyMode.PROOFS));
        assertThat(parse("    verify: consensus\n")).isEqualTo(VerifyConfig.of(VerifyMode.CONSENSUS));
        assertThat(parse("    verify: both\n")).isEqualTo(VerifyConfig.of(VerifyMode.BOTH));
        assertThat(parse("    verify: auto\n")).isEqualTo(VerifyConfig.DEFAULT);
    }

    @Test
    void theMappingFormAllowsUnverifiedAnswers() {
        assertThat(parse("    verify:\n      mode: proofs\n      allowUnverified: true\n"))
                .isEqualTo(new VerifyConfig(VerifyMode.PROOFS, true));
        assertThat(parse("    verify:\n      allowUnverified: true\n"))
                .isEqualTo(new VerifyConfig(VerifyMode.AUTO, true));
    }

    @Test
    void unknownVerifyModeNamesItsPath() {
        assertThatThrownBy(() -> parse("    verify: maybe\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("chains[0].verify: \"maybe\" (expected: auto, consensus, proofs or both)");
    }

    @Test
    void badValuesInTheMappingNameTheirPaths() {
        assertThatThrownBy(() -> parse("    verify:\n      mode: proof\n      allowUnverified: perhaps\n      x: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("chains[0].verify.mode: \"proof\" (expected: auto, consensus, proofs or both)")
                .hasMessageContaining("chains[0].verify.allowUnverified: \"perhaps\"")
                .hasMessageContaining("chains[0].verify.x: unknown key");
    }
}
