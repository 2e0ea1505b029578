package dev.outlast.health;

import dev.outlast.transport.FailureKind;

/**
 * Which rule decides an endpoint's state, in order of precedence, and the words that say why.
 * Node rules (wrong chain id, not verified yet, quarantined, lagging) apply to upstreams only;
 * a site origin has no node state and skips them.
 *
 * <p>Immutable.
 */
enum Verdict {
    MISCONFIGURED(HealthState.MISCONFIGURED),
    DRAINED(HealthState.DRAINED),
    UNVERIFIED(HealthState.DOWN),
    QUARANTINED(HealthState.QUARANTINED),
    OPEN(HealthState.DOWN),
    HALF_OPEN(HealthState.DOWN),
    LAGGING(HealthState.LAGGING),
    RATE_LIMITED(HealthState.DEGRADED),
    ERRORS(HealthState.DEGRADED),
    RAMPING_UP(HealthState.DEGRADED),
    OK(HealthState.HEALTHY);

    /** The error rate from which an endpoint is degraded. */
    static final double DEGRADED_ERROR_RATE = 0.05;

    private final HealthState state;

    Verdict(HealthState state) {
        this.state = state;
    }

    HealthState state() {
        return state;
    }

    /** The rule that decides {@code view}'s state at {@code now}. Allocates nothing. */
    static Verdict of(HealthView view, long now) {
        NodeState node = view.node();
        if (node != null && node.misconfiguredReason() != null) {
            return MISCONFIGURED;
        } else if (view.isDrained()) {
            return DRAINED;
        } else if (node != null && !node.isChainIdVerified()) {
            return UNVERIFIED;
        } else if (node != null && node.isQuarantined(now)) {
            return QUARANTINED;
        }
        Circuit.State circuit = view.circuit().state(now);
        if (circuit == Circuit.State.OPEN) {
            return OPEN;
        } else if (circuit == Circuit.State.HALF_OPEN) {
            return HALF_OPEN;
        } else if (node != null && node.isLagging()) {
            return LAGGING;
        } else if (view.isRateLimited(now)) {
            return RATE_LIMITED;
        } else if (view.errorRate() >= DEGRADED_ERROR_RATE) {
            return ERRORS;
        } else if (view.circuit().slowStartShare(now) < 1.0) {
            return RAMPING_UP;
        }
        return OK;
    }

    /** Why {@code view} is in this state, {@code last} being the endpoint's last failure (or null). */
    String reason(HealthView view, FailureKind last, String lastDetail) {
        return switch (this) {
            case MISCONFIGURED -> view.node().misconfiguredReason();
            case DRAINED -> "drained: " + view.drainedWhy();
            case UNVERIFIED -> last == null ? "starting: chain id not verified yet"
                                            : "chain id not verified yet: " + describe(last, lastDetail, "unreachable");
            case QUARANTINED -> "gave a wrong answer: " + view.node().quarantineReason();
            case OPEN -> describe(last, lastDetail, "failing");
            case HALF_OPEN -> "recovering: probing after " + describe(last, lastDetail, "failures");
            case LAGGING -> view.node().lag() + " blocks behind the head";
            case RATE_LIMITED -> "rate limited (HTTP 429 or a rate-limit error)";
            case ERRORS -> String.format("error rate %.0f%%, last: %s", view.errorRate() * 100, describe(last, lastDetail, "failure"));
            case RAMPING_UP -> "recovered; traffic ramping up";
            case OK -> "ok";
        };
    }

    private static String describe(FailureKind last, String detail, String fallback) {
        if (last == null) {
            return fallback;
        }
        return detail == null ? last.words() : last.words() + " (" + detail + ")";
    }
}
