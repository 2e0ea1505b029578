package dev.outlast.frontdoor;

/**
 * Whose fault one probe of a CDN path says a failure is: the path's (moving helps), the origin's
 * behind it (moving would not), or nobody's known.
 */
public enum PathVerdict {
    /** A 2xx through the path. */
    PASS,
    /**
     * The path failed: the CDN's edge generated the error page (attribution's {@code vendor} source),
     * or the connection, TLS or the answer's deadline to the edge failed.
     */
    PATH,
    /** The edge passed the origin's own error through: the origin behind it failed. */
    ORIGIN,
    /** An error response that attribution cannot tie to the edge or to the origin. */
    UNATTRIBUTED;

    /** Whether the probe failed. */
    public boolean failed() {
        return this != PASS;
    }
}
