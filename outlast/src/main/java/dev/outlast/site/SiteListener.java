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

    /**
     * An origin was observed, by a live attempt or an active check: what the monitor watches.
     *
     * @param failure what went wrong, or null when it answered
     */
    default void onOriginObserved(String site, String origin, OriginFailure failure, long nanos) {
    }

    /** A request moved on to another origin after {@code origin} failed. */
    default void onSiteFailover(String site, String origin, String vendor) {
    }

    /** An origin's state changed. */
    default void onOriginStateChange(String site, String origin, HealthState from, HealthState to, String reason) {
    }

    /** A listener that tells {@code first}, then {@code second}. */
    static SiteListener both(SiteListener first, SiteListener second) {
        return new SiteListener() {
            @Override
            public void onSiteRequest(String site, String outcome, long nanos) {
                first.onSiteRequest(site, outcome, nanos);
                second.onSiteRequest(site, outcome, nanos);
            }

            @Override
            public void onOriginReply(String site, String origin, String outcome, String vendor, long nanos) {
                first.onOriginReply(site, origin, outcome, vendor, nanos);
                second.onOriginReply(site, origin, outcome, vendor, nanos);
            }

            @Override
            public void onOriginObserved(String site, String origin, OriginFailure failure, long nanos) {
                first.onOriginObserved(site, origin, failure, nanos);
                second.onOriginObserved(site, origin, failure, nanos);
            }

            @Override
            public void onSiteFailover(String site, String origin, String vendor) {
                first.onSiteFailover(site, origin, vendor);
                second.onSiteFailover(site, origin, vendor);
            }

            @Override
            public void onOriginStateChange(String site, String origin, HealthState from, HealthState to,
                                            String reason) {
                first.onOriginStateChange(site, origin, from, to, reason);
                second.onOriginStateChange(site, origin, from, to, reason);
            }
        };
    }
}
