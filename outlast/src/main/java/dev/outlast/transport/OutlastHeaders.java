package dev.outlast.transport;

import com.linecorp.armeria.common.HttpHeaderNames;
import io.netty.util.AsciiString;

/**
 * The {@code X-Outlast-*} response headers, the one place their names are written: every answer says
 * who served it (principle 4 of the design). Each name is made once, lower case and validated, so
 * adding one to Armeria's or Netty's headers costs no check or conversion per response.
 *
 * <p>Immutable constants.
 */
public final class OutlastHeaders {

    /** Who answered: the upstreams (comma-separated), the origin, or {@code outlast} when Outlast did. */
    public static final AsciiString UPSTREAM = HttpHeaderNames.of("x-outlast-upstream");
    /** How many upstreams agreed on an answer that needed consensus ({@code 2/3}). */
    public static final AsciiString CONSENSUS = HttpHeaderNames.of("x-outlast-consensus");
    /** How an answer was verified against a proof. */
    public static final AsciiString VERIFIED = HttpHeaderNames.of("x-outlast-verified");
    /**
     * Whether the cache served it: {@code HIT}/{@code MISS} for JSON-RPC; {@code hit},
     * {@code stale-while-revalidate} or {@code stale-if-error} for a site.
     */
    public static final AsciiString CACHE = HttpHeaderNames.of("x-outlast-cache");
    /** Set when a site's failed write was deliberately not sent to another origin, saying why. */
    public static final AsciiString NOT_RETRIED = HttpHeaderNames.of("x-outlast-not-retried");

    /** What {@link #UPSTREAM} says when Outlast answered itself. */
    public static final String OUTLAST = "outlast";

    private OutlastHeaders() {
    }
}
