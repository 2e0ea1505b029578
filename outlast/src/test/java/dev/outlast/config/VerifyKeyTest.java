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

    @Test
    void verifyDefaultsToConsensus() {
        OutlastConfig config = ConfigLoader.parse(yaml(""), Map.of(), "test.yaml");
        assertThat(config.chains().get(0).verify()).isEqualTo(VerifyMode.CONSENSUS);
    }

    @Test
    void verifyProofsIsAccepted() {
        OutlastConfig config = ConfigLoader.parse(yaml("    verify: proofs\n"), Map.of(), "test.yaml");
        assertThat(config.chains().get(0).verify()).isEqualTo(VerifyMode.PROOFS);
    }

    @Test
    void unknownVerifyModeNamesItsPath() {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("    verify: maybe\n"), Map.of(), "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("chains[0].verify: \"maybe\" (expected: consensus or proofs)");
    }
}
