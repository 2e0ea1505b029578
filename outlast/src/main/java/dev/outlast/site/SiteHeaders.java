package dev.outlast.site;

/** The {@code X-Outlast-*} headers of site responses. */
final class SiteHeaders {

    /** The origin whose answer was served; {@code outlast} when Outlast answered itself. */
    static final String UPSTREAM = "x-outlast-upstream";
    /** {@code hit}, {@code stale-while-revalidate} or {@code stale-if-error} when served from the cache. */
    static final String CACHE = "x-outlast-cache";
    /** Set when a failed write was deliberately not sent to another origin, saying why. */
    static final String NOT_RETRIED = "x-outlast-not-retried";

    private SiteHeaders() {
    }
}
