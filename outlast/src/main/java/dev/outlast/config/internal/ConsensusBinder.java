package dev.outlast.config.internal;

import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.ConsensusConfig.SingleUpstreamPolicy;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Binds a chain's {@code consensus}: which methods need agreement, and how much. */
final class ConsensusBinder {

    private static final List<String> KEYS = List.of("methods", "minAgree", "whenSingleUpstream");
    private static final String POLICY_EXPECTED = "fail or serve";

    private ConsensusBinder() {
    }

    static Optional<ConsensusConfig> bind(Node node) {
        Optional<Mapping> mapping = node.mapping(KEYS, "a mapping");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        Set<String> methods = ConsensusConfig.DEFAULT_METHODS;
        int minAgree = ConsensusConfig.DEFAULT_MIN_AGREE;
        SingleUpstreamPolicy whenSingleUpstream = ConsensusConfig.DEFAULT.whenSingleUpstream();
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "methods" -> methods = ChainBinder.methods(value).orElse(methods);
                case "minAgree" -> minAgree = value.integer(1, "a positive integer").orElse(minAgree);
                case "whenSingleUpstream" -> whenSingleUpstream =
                        value.as(POLICY_EXPECTED, ConsensusBinder::policy).orElse(whenSingleUpstream);
                default -> throw new AssertionError(value.key());
            }
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(new ConsensusConfig(methods, minAgree, whenSingleUpstream));
    }

    private static SingleUpstreamPolicy policy(String text) {
        return switch (text) {
            case "fail" -> SingleUpstreamPolicy.FAIL;
            case "serve" -> SingleUpstreamPolicy.SERVE;
            default -> throw new BadValue(POLICY_EXPECTED);
        };
    }
}
