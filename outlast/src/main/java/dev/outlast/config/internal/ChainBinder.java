package dev.outlast.config.internal;

import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.LogsConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.config.VerifyConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds {@code chains}: each chain, its settings, and (through the other binders) its policies and upstreams. */
final class ChainBinder {

    static final String CHAINS = "a list of chains";

    private static final List<String> KEYS = List.of(
            "id", "chainId", "requestTimeout", "headPollInterval", "chainIdCheckInterval", "maxLagBlocks",
            "deniedMethods", "consensus", "hedging", "upstreams", "verify", "getLogs", "maxStaleness");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String ID_EXPECTED = "a chain id matching [a-z0-9][a-z0-9-]{0,62}";
    private static final String CHAIN_ID_EXPECTED = "a positive integer";
    private static final Pattern METHOD = Pattern.compile("[A-Za-z0-9_]+");

    private ChainBinder() {
    }

    static Optional<List<ChainConfig>> bindAll(Node node) {
        Uniques ids = new Uniques("unique");
        return node.eachMapping(CHAINS, "at least one chain", null, KEYS,
                "a chain, a mapping with id, chainId and upstreams", (element, mapping) -> bind(element, mapping, ids));
    }

    private static Optional<ChainConfig> bind(Node node, Mapping mapping, Uniques ids) {
        int errors = node.problems().errorCount();
        String id = null;
        long chainId = 0;
        List<UpstreamConfig> upstreams = List.of();
        Duration requestTimeout = ChainConfig.DEFAULT_REQUEST_TIMEOUT;
        Duration headPollInterval = ChainConfig.DEFAULT_HEAD_POLL_INTERVAL;
        Duration chainIdCheckInterval = ChainConfig.DEFAULT_CHAIN_ID_CHECK_INTERVAL;
        long maxLagBlocks = ChainConfig.DEFAULT_MAX_LAG_BLOCKS;
        Set<String> deniedMethods = Set.of();
        ConsensusConfig consensus = ConsensusConfig.DEFAULT;
        HedgingConfig hedging = HedgingConfig.DEFAULT;
        VerifyConfig verify = ChainConfig.DEFAULT_VERIFY;
        LogsConfig logs = LogsConfig.DEFAULT;
        Duration maxStaleness = ChainConfig.DEFAULT_MAX_STALENESS;
        for (Node value : mapping) {
            switch (value.key()) {
                case "id" -> id = value.matching(ID, ID_EXPECTED)
                                       .filter(text -> ids.first(node, value, text))
                                       .orElse(null);
                case "chainId" -> chainId = value.integer(1, Long.MAX_VALUE, CHAIN_ID_EXPECTED).orElse(0L);
                case "requestTimeout" -> requestTimeout = value.duration(true).orElse(requestTimeout);
                case "headPollInterval" -> headPollInterval = value.duration(true).orElse(headPollInterval);
                case "chainIdCheckInterval" -> chainIdCheckInterval =
                        value.duration(true).orElse(chainIdCheckInterval);
                case "maxLagBlocks" -> maxLagBlocks =
                        value.integer(0, Long.MAX_VALUE, "a non-negative integer").orElse(maxLagBlocks);
                case "deniedMethods" -> deniedMethods = methods(value).orElse(deniedMethods);
                case "consensus" -> consensus = ConsensusBinder.bind(value).orElse(consensus);
                case "hedging" -> hedging = HedgingBinder.bind(value).orElse(hedging);
                case "getLogs" -> logs = LogsBinder.bind(value).orElse(logs);
                case "maxStaleness" -> maxStaleness = value.duration(true).orElse(maxStaleness);
                case "upstreams" -> upstreams = UpstreamBinder.bindAll(value).orElse(upstreams);
                case "verify" -> verify = VerifyBinder.bind(value).orElse(verify);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.require("id", ID_EXPECTED);
        mapping.require("chainId", CHAIN_ID_EXPECTED);
        mapping.require("upstreams", UpstreamBinder.UPSTREAMS);
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ChainConfig(id, chainId, upstreams, requestTimeout, headPollInterval,
                                               chainIdCheckInterval, maxLagBlocks, consensus, hedging,
                                               deniedMethods, verify, logs, maxStaleness));
        } catch (IllegalArgumentException e) {
            node.error(e.getMessage());
            return Optional.empty();
        }
    }

    /** A list of JSON-RPC method names. */
    static Optional<Set<String>> methods(Node node) {
        Optional<List<Node>> elements = node.list("a list of method names");
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        Set<String> methods = new LinkedHashSet<>();
        boolean ok = true;
        for (Node element : elements.get()) {
            Optional<String> method = element.matching(METHOD, "a method name matching [A-Za-z0-9_]+");
            method.ifPresent(methods::add);
            ok &= method.isPresent();
        }
        return ok ? Optional.of(methods) : Optional.empty();
    }
}
