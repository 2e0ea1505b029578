package dev.outlast.health;

import dev.outlast.transport.FailureKind;
import java.time.Duration;

/**
 * What is known about a chain upstream as a node, beyond how its calls went: whether its chain id
 * was verified, the head it reports, how far it lags, and whether it is quarantined for a wrong
 * answer. Site origins have none of this.
 *
 * <p>A wrong answer quarantines it for a backoff from {@link #QUARANTINE_BASE} doubling to
 * {@link #QUARANTINE_MAX}, forgiven after a clean {@link #QUARANTINE_FORGIVE}; a wrong chain id
 * makes it misconfigured until a check passes. It takes no traffic before its chain id has been
 * verified once.
 *
 * <p>Immutable: each change returns a new state, which its {@link UpstreamHealth} publishes.
 */
public final class NodeState {

    static final Duration QUARANTINE_BASE = Duration.ofSeconds(30);
    static final Duration QUARANTINE_MAX = Duration.ofMinutes(15);
    static final Duration QUARANTINE_FORGIVE = Duration.ofMinutes(10);

    private final boolean chainIdVerified;
    private final String misconfiguredReason;
    private final long head;
    private final long highestHead;
    private final long headReportedAt;
    private final long lag;
    private final boolean lagging;
    private final long quarantinedUntil;
    private final int quarantineLevel;
    private final String quarantineReason;
    private final FailureKind found;
    private final String foundDetail;

    private NodeState(boolean chainIdVerified, String misconfiguredReason, long head, long highestHead,
                      long headReportedAt, long lag, boolean lagging, long quarantinedUntil, int quarantineLevel,
                      String quarantineReason, FailureKind found, String foundDetail) {
        this.chainIdVerified = chainIdVerified;
        this.misconfiguredReason = misconfiguredReason;
        this.head = head;
        this.highestHead = highestHead;
        this.headReportedAt = headReportedAt;
        this.lag = lag;
        this.lagging = lagging;
        this.quarantinedUntil = quarantinedUntil;
        this.quarantineLevel = quarantineLevel;
        this.quarantineReason = quarantineReason;
        this.found = found;
        this.foundDetail = foundDetail;
    }

    /** A node nothing is known about yet, at {@code now}: chain id not verified, no head. */
    static NodeState starting(long now) {
        return new NodeState(false, null, -1, -1, 0, 0, false, now, 0, null, null, null);
    }

    /**
     * Marks the node as having given a wrong answer at {@code now}: starts a quarantine, or, when
     * one is running, only takes the new reason. Starting one is {@linkplain #found() found} wrong.
     */
    NodeState quarantine(String why, long now) {
        if (isQuarantined(now)) {
            return new NodeState(chainIdVerified, misconfiguredReason, head, highestHead, headReportedAt, lag, lagging,
                                 quarantinedUntil, quarantineLevel, why, null, null);
        }
        int level = quarantineLevel > 0 && now - quarantinedUntil > QUARANTINE_FORGIVE.toNanos() ? 0 : quarantineLevel;
        long backoff = Math.min(QUARANTINE_BASE.toNanos() << Math.min(level, 20), QUARANTINE_MAX.toNanos());
        return new NodeState(chainIdVerified, misconfiguredReason, head, highestHead, headReportedAt, lag, lagging,
                             now + backoff, level + 1, why, FailureKind.WRONG_ANSWER, why);
    }

    /** The result of a chain id check: {@code null} when it matched, else why it did not (found wrong). */
    NodeState chainIdChecked(String mismatch) {
        return mismatch == null
               ? new NodeState(true, null, head, highestHead, headReportedAt, lag, lagging, quarantinedUntil,
                               quarantineLevel, quarantineReason, null, null)
               : new NodeState(chainIdVerified, mismatch, head, highestHead, headReportedAt, lag, lagging,
                               quarantinedUntil, quarantineLevel, quarantineReason, FailureKind.WRONG_CHAIN, mismatch);
    }

    /** How far the node's reported head is behind the chain's served head. */
    NodeState lag(long lagBlocks, boolean isLagging) {
        return new NodeState(chainIdVerified, misconfiguredReason, head, highestHead, headReportedAt, lagBlocks,
                             isLagging, quarantinedUntil, quarantineLevel, quarantineReason, null, null);
    }

    /** A head the node itself reported at {@code now}; it may be lower than the one before. */
    NodeState headReported(long block, long now) {
        return new NodeState(chainIdVerified, misconfiguredReason, block, Math.max(highestHead, block), now, lag,
                             lagging, quarantinedUntil, quarantineLevel, quarantineReason, null, null);
    }

    /**
     * What the change that made this state found wrong (a wrong answer, a wrong chain id), or null:
     * it becomes the endpoint's last failure.
     */
    FailureKind found() {
        return found;
    }

    /** The detail of {@link #found()}. */
    String foundDetail() {
        return foundDetail;
    }

    /** The head the node reported last, or -1 when unknown. */
    public long head() {
        return head;
    }

    /**
     * The highest head the node ever reported, or -1 when unknown: it has had every block up to
     * this one, so it can answer for them even while it reports an older head.
     */
    public long highestHead() {
        return highestHead;
    }

    /** Nanoseconds from the last reported head to {@code now}; {@link Long#MAX_VALUE} if none was. */
    public long headAgeNanos(long now) {
        return head < 0 ? Long.MAX_VALUE : now - headReportedAt;
    }

    /** Blocks behind the chain's served head at the last lag check. */
    public long lag() {
        return lag;
    }

    /** Behind by more than the allowed lag at the last lag check. */
    public boolean isLagging() {
        return lagging;
    }

    /** Its chain id was verified once. */
    public boolean isChainIdVerified() {
        return chainIdVerified;
    }

    /** Why its chain id is wrong, or null while it is not known to be. */
    public String misconfiguredReason() {
        return misconfiguredReason;
    }

    public boolean isQuarantined(long now) {
        return now - quarantinedUntil < 0;
    }

    /** The reason of the last wrong answer. */
    public String quarantineReason() {
        return quarantineReason;
    }

    /** Time left in quarantine at {@code now}, zero when not quarantined. */
    public Duration quarantinedFor(long now) {
        return isQuarantined(now) ? Duration.ofNanos(quarantinedUntil - now) : Duration.ZERO;
    }

    /** Verified, on the right chain, and not quarantined at {@code now}. */
    public boolean isHonestAndVerified(long now) {
        return chainIdVerified && misconfiguredReason == null && !isQuarantined(now);
    }
}
