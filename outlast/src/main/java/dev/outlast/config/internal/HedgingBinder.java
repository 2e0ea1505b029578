package dev.outlast.config.internal;

import dev.outlast.config.HedgingConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Binds a chain's {@code hedging}, checking that {@code maxDelay >= minDelay}. */
final class HedgingBinder {

    private static final List<String> KEYS = List.of("enabled", "minDelay", "maxDelay");

    private HedgingBinder() {
    }

    static Optional<HedgingConfig> bind(Node node) {
        Optional<Mapping> mapping = node.mapping(KEYS, "a mapping");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        boolean enabled = HedgingConfig.DEFAULT.enabled();
        Duration minDelay = HedgingConfig.DEFAULT_MIN_DELAY;
        Duration maxDelay = HedgingConfig.DEFAULT_MAX_DELAY;
        Node minNode = null;
        Node maxNode = null;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "enabled" -> enabled = value.bool().orElse(enabled);
                case "minDelay" -> {
                    minNode = value;
                    minDelay = value.duration(false).orElse(minDelay);
                }
                case "maxDelay" -> {
                    maxNode = value;
                    maxDelay = value.duration(false).orElse(maxDelay);
                }
                default -> throw new AssertionError(value.key());
            }
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        if (maxDelay.compareTo(minDelay) < 0) {
            if (maxNode != null) {
                maxNode.invalid(">= minDelay" + (minNode != null ? " " + minNode.shown()
                                                                 : ", " + Values.format(minDelay) + " by default"));
            } else {
                minNode.invalid("<= maxDelay, " + Values.format(maxDelay) + " by default");
            }
            return Optional.empty();
        }
        return Optional.of(new HedgingConfig(enabled, minDelay, maxDelay));
    }
}
