package dev.outlast.config.internal;

import dev.outlast.config.VerifyConfig;
import dev.outlast.config.VerifyMode;
import java.util.List;
import java.util.Optional;

/**
 * Binds a chain's {@code verify}: either the mode alone ({@code verify: proofs}) or a mapping
 * {@code {mode: proofs, allowUnverified: true}}.
 */
final class VerifyBinder {

    private static final List<String> KEYS = List.of("mode", "allowUnverified");
    static final String MODE_EXPECTED = "auto, consensus, proofs or both";
    private static final String EXPECTED = MODE_EXPECTED + ", or a mapping with mode and allowUnverified";

    private VerifyBinder() {
    }

    static Optional<VerifyConfig> bind(Node node) {
        if (!node.json().isObject()) {
            return node.as(EXPECTED, VerifyBinder::mode).map(VerifyConfig::of);
        }
        Optional<Mapping> mapping = node.mapping(KEYS, "a mapping");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        VerifyMode mode = VerifyConfig.DEFAULT.mode();
        boolean allowUnverified = VerifyConfig.DEFAULT_ALLOW_UNVERIFIED;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "mode" -> mode = value.as(MODE_EXPECTED, VerifyBinder::mode).orElse(mode);
                case "allowUnverified" -> allowUnverified = value.bool().orElse(allowUnverified);
                default -> throw new AssertionError(value.key());
            }
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(new VerifyConfig(mode, allowUnverified));
    }

    private static VerifyMode mode(String text) {
        for (VerifyMode mode : VerifyMode.values()) {
            if (mode.label().equals(text)) {
                return mode;
            }
        }
        throw new BadValue(MODE_EXPECTED);
    }
}
