package dev.outlast.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One chain served at {@code /rpc/{id}} over several upstreams.
 *
 * @param id                   path segment, {@code [a-z0-9-]+}
 * @param chainId              the EIP-155 chain id every upstream must report from {@code eth_chainId}
 * @param upstreams            at least one provider
 * @param requestTimeout       deadline for one client request, failover and hedging included,
 *                             default {@link #DEFAULT_REQUEST_TIMEOUT}
 * @param headPollInterval     how often each upstream's head is polled, default
 *                             {@link #DEFAULT_HEAD_POLL_INTERVAL}
 * @param chainIdCheckInterval how often each upstream's {@code eth_chainId} is checked again,
 *                             default {@link #DEFAULT_CHAIN_ID_CHECK_INTERVAL}
 * @param maxLagBlocks         an upstream further behind the best head than this is lagging,
 *                             default {@value #DEFAULT_MAX_LAG_BLOCKS}
 * @param consensus            reads that need agreement, default {@link ConsensusConfig#DEFAULT}
 * @param hedging              hedged requests, default {@link HedgingConfig#DEFAULT}
 * @param deniedMethods        methods refused with {@code method_not_allowed} in addition to the
 *                             built-in list (node administration, signing with node keys, filters)
 * @param verify               how balances, nonces, code and storage are established, default
 *                             {@link VerifyConfig#DEFAULT} ({@code auto}: proofs where upstreams serve them)
 * @param logs                 how wide {@code eth_getLogs} ranges are split, default {@link LogsConfig#DEFAULT}
 * @param maxStaleness         how long the served head may stay behind a block a usable upstream has
 *                             reported before reads at {@code latest} are refused with {@code stale_head},
 *                             default {@link #DEFAULT_MAX_STALENESS}
 */
public record ChainConfig(String id, long chainId, List<UpstreamConfig> upstreams, Duration requestTimeout,
                          Duration headPollInterval, Duration chainIdCheckInterval, long maxLagBlocks,
                          ConsensusConfig consensus, HedgingConfig hedging, Set<String> deniedMethods,
                          VerifyConfig verify, LogsConfig logs, Duration maxStaleness) {

    public static final VerifyConfig DEFAULT_VERIFY = VerifyConfig.DEFAULT;

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEAD_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CHAIN_ID_CHECK_INTERVAL = Duration.ofMinutes(1);
    public static final long DEFAULT_MAX_LAG_BLOCKS = 5;
    public static final Duration DEFAULT_MAX_STALENESS = Duration.ofSeconds(2);

    /** A chain with the default {@link #maxStaleness}. */
    public ChainConfig(String id, long chainId, List<UpstreamConfig> upstreams, Duration requestTimeout,
                       Duration headPollInterval, Duration chainIdCheckInterval, long maxLagBlocks,
                       ConsensusConfig consensus, HedgingConfig hedging, Set<String> deniedMethods,
                       VerifyConfig verify, LogsConfig logs) {
        this(id, chainId, upstreams, requestTimeout, headPollInterval, chainIdCheckInterval, maxLagBlocks, consensus,
             hedging, deniedMethods, verify, logs, DEFAULT_MAX_STALENESS);
    }

    /** A chain with the default {@link #logs} splitting. */
    public ChainConfig(String id, long chainId, List<UpstreamConfig> upstreams, Duration requestTimeout,
                       Duration headPollInterval, Duration chainIdCheckInterval, long maxLagBlocks,
                       ConsensusConfig consensus, HedgingConfig hedging, Set<String> deniedMethods,
                       VerifyConfig verify) {
        this(id, chainId, upstreams, requestTimeout, headPollInterval, chainIdCheckInterval, maxLagBlocks, consensus,
             hedging, deniedMethods, verify, LogsConfig.DEFAULT);
    }

    /** A chain with the default {@link #logs} splitting and {@code verify} mode without {@code allowUnverified}. */
    public ChainConfig(String id, long chainId, List<UpstreamConfig> upstreams, Duration requestTimeout,
                       Duration headPollInterval, Duration chainIdCheckInterval, long maxLagBlocks,
                       ConsensusConfig consensus, HedgingConfig hedging, Set<String> deniedMethods,
                       VerifyMode verify) {
        this(id, chainId, upstreams, requestTimeout, headPollInterval, chainIdCheckInterval, maxLagBlocks, consensus,
             hedging, deniedMethods, VerifyConfig.of(verify), LogsConfig.DEFAULT);
    }

    /** A chain with the default {@link #verify} mode. */
    public ChainConfig(String id, long chainId, List<UpstreamConfig> upstreams, Duration requestTimeout,
                       Duration headPollInterval, Duration chainIdCheckInterval, long maxLagBlocks,
                       ConsensusConfig consensus, HedgingConfig hedging, Set<String> deniedMethods) {
        this(id, chainId, upstreams, requestTimeout, headPollInterval, chainIdCheckInterval, maxLagBlocks, consensus,
             hedging, deniedMethods, DEFAULT_VERIFY);
    }

    /** The same chain with another verify mode (without {@code allowUnverified}). */
    public ChainConfig withVerify(VerifyMode mode) {
        return withVerify(VerifyConfig.of(mode));
    }

    /** The same chain with another verify policy. */
    public ChainConfig withVerify(VerifyConfig newVerify) {
        return new ChainConfig(id, chainId, upstreams, requestTimeout, headPollInterval, chainIdCheckInterval,
                               maxLagBlocks, consensus, hedging, deniedMethods, newVerify, logs, maxStaleness);
    }

    /** The same chain with another hedging policy. */
    public ChainConfig withHedging(HedgingConfig newHedging) {
        return new ChainConfig(id, chainId, upstreams, requestTimeout, headPollInterval, chainIdCheckInterval,
                               maxLagBlocks, consensus, newHedging, deniedMethods, verify, logs, maxStaleness);
    }

    /** The same chain with its heads polled every {@code interval}. */
    public ChainConfig withHeadPollInterval(Duration interval) {
        return new ChainConfig(id, chainId, upstreams, requestTimeout, interval, chainIdCheckInterval,
                               maxLagBlocks, consensus, hedging, deniedMethods, verify, logs, maxStaleness);
    }

    /** The same chain with another {@code eth_getLogs} splitting. */
    public ChainConfig withLogs(LogsConfig newLogs) {
        return new ChainConfig(id, chainId, upstreams, requestTimeout, headPollInterval, chainIdCheckInterval,
                               maxLagBlocks, consensus, hedging, deniedMethods, verify, newLogs, maxStaleness);
    }

    /** The same chain with reads at {@code latest} refused once the served head is {@code staleness} behind. */
    public ChainConfig withMaxStaleness(Duration staleness) {
        return new ChainConfig(id, chainId, upstreams, requestTimeout, headPollInterval, chainIdCheckInterval,
                               maxLagBlocks, consensus, hedging, deniedMethods, verify, logs, staleness);
    }

    public ChainConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(logs, "logs");
        upstreams = List.copyOf(upstreams);
        deniedMethods = Set.copyOf(deniedMethods);
        Objects.requireNonNull(consensus, "consensus");
        Objects.requireNonNull(hedging, "hedging");
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("upstreams: [] (expected: at least one upstream)");
        }
        if (chainId < 1) {
            throw new IllegalArgumentException("chainId: " + chainId + " (expected: >= 1)");
        }
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("headPollInterval", headPollInterval);
        requirePositive("chainIdCheckInterval", chainIdCheckInterval);
        requirePositive("maxStaleness", maxStaleness);
        if (maxLagBlocks < 0) {
            throw new IllegalArgumentException("maxLagBlocks: " + maxLagBlocks + " (expected: >= 0)");
        }
    }

    /** A chain with every default: what the minimal config gives. */
    public static ChainConfig of(String id, long chainId, List<UpstreamConfig> upstreams) {
        return new ChainConfig(id, chainId, upstreams, DEFAULT_REQUEST_TIMEOUT, DEFAULT_HEAD_POLL_INTERVAL,
                               DEFAULT_CHAIN_ID_CHECK_INTERVAL, DEFAULT_MAX_LAG_BLOCKS, ConsensusConfig.DEFAULT,
                               HedgingConfig.DEFAULT, Set.of());
    }

    /** How many upstreams must agree on a consensus read: {@code minAgree}, capped by the upstream count. */
    public int effectiveMinAgree() {
        return Math.min(consensus.minAgree(), upstreams.size());
    }

    static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
