package dev.outlast.attribution;

/** Who generated an error response that came through a vendor's edge. */
public enum Source {
    /** The edge generated the error itself (its own error page or error header). */
    VENDOR,
    /** The edge passed the origin's error through. */
    ORIGIN,
    /** The vendor is known but the response does not say which side generated it, or no vendor is known. */
    UNKNOWN
}
