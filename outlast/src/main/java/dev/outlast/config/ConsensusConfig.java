package dev.outlast.config;

import java.util.Set;

/**
 * Which reads need independent upstreams to agree before they are served, and how many.
 *
 * @param methods           methods that need agreement, default {@link #DEFAULT_METHODS}
 * @param minAgree          how many upstreams must return the same answer at the same pinned
 *                          block, default {@value #DEFAULT_MIN_AGREE}; when fewer upstreams are
 *                          configured, every configured upstream must agree
 * @param whenSingleUpstream what to do when fewer than {@code minAgree} upstreams are usable at the
 *                          moment, default {@link SingleUpstreamPolicy#FAIL}
 */
public record ConsensusConfig(Set<String> methods, int minAgree, SingleUpstreamPolicy whenSingleUpstream) {

    public static final Set<String> DEFAULT_METHODS = Set.of(
            "eth_getBalance", "eth_getTransactionCount", "eth_getCode", "eth_getStorageAt", "eth_call");
    public static final int DEFAULT_MIN_AGREE = 2;
    public static final ConsensusConfig DEFAULT =
            new ConsensusConfig(DEFAULT_METHODS, DEFAULT_MIN_AGREE, SingleUpstreamPolicy.FAIL);

    public ConsensusConfig {
        methods = Set.copyOf(methods);
        if (minAgree < 1) {
            throw new IllegalArgumentException("minAgree: " + minAgree + " (expected: >= 1)");
        }
    }

    /** What a consensus read does when too few upstreams are usable to reach {@code minAgree}. */
    public enum SingleUpstreamPolicy {
        /** Refuse with {@code no_quorum}: an unconfirmed balance is never served (the default). */
        FAIL,
        /** Serve the single usable upstream's answer, marked {@code X-Outlast-Consensus: 1/1}. */
        SERVE
    }
}
