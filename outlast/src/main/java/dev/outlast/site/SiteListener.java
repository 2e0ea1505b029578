package dev.outlast.site;

import dev.outlast.health.HealthState;

/**
 * Notable site events, for metrics. Every method has a no-op default. Implementations must be
 * thread-safe and must not block: they are called on event-loop threads.
 */
public interface SiteListener {

    SiteListener NONE = new SiteListener() {
    };

    /**
     * A client request was answered.
     *
     * @param outcome {@code ok} (an origin answered below 500), {@code origin_error} (an origin's 5xx
     *                was passed on), {@code hit}, {@code stale} or {@code failed} (Outlast answered
     *                with an error)
     */
    default void onSiteRequest(String site, String outcome, long nanos) {
    }

    /**
     * One attempt on an origin ended (response headers, or a failure before them).
     *
     * @param outcome {@code ok} or a failure kind label ({@code connect}, {@code timeout},
     *                {@code reset}, {@code http_5xx}, {@code vendor_page})
     * @param vendor  the attributed vendor label, {@code none} when no vendor was recognised
     */
    default void onOriginReply(String site, String origin, String outcome, String vendor, long nanos) {
    }

    /** A request moved on to another origin after {@code origin} failed. */
    default void onSiteFailover(String site, String origin, String vendor) {
    }

    /** An origin's state changed. */
    default void onOriginStateChange(String site, String origin, HealthState from, HealthState to, String reason) {
    }
}
