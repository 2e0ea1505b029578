package dev.outlast.site;

import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.attribution.Attribution;
import dev.outlast.attribution.Attributor;
import dev.outlast.transport.FailureKind;
import dev.outlast.transport.client.CallFailure;
import java.nio.charset.StandardCharsets;

/**
 * Turns what an attempt on an origin produced into an {@link OriginFailure}: a {@link CallFailure}
 * before the response headers (either client's: {@link dev.outlast.transport.client.OriginClient}'s,
 * or Armeria's past {@link dev.outlast.transport.client.ArmeriaFailures}), or a 5xx response with its
 * body.
 *
 * <p>Thread-safe (stateless).
 */
final class Attempts {

    /** The longest detail kept of a failure's words. */
    private static final int MAX_DETAIL = 200;

    private Attempts() {
    }

    /**
     * A failure before any response: a connection that failed before the request was written (the
     * origin provably never received it), a response timeout, or a reset (the origin may have
     * received it).
     */
    static OriginFailure fromFailure(Site site, CallFailure failure) {
        String words = failure.getMessage() == null ? failure.kind().words() : shorten(failure.getMessage());
        return new OriginFailure(site.clock().instant(), failure.kind(), 0, Attribution.UNKNOWN,
                                 failure.notReceived(), words);
    }

    /** A 5xx response: attributed to its vendor; {@code body} may be null when it was too long to read. */
    static OriginFailure fromErrorPage(Site site, ResponseHeaders headers, byte[] body) {
        int status = headers.status().code();
        String prefix = body == null ? ""
                : new String(body, 0, Math.min(body.length, Attributor.BODY_PREFIX_CHARS), StandardCharsets.UTF_8);
        Attribution a = Attributor.attribute(status, headers, prefix);
        boolean notReceived = FailoverRules.provesNotReceived(status, a, prefix);
        FailureKind kind = a.known() ? FailureKind.VENDOR_PAGE : FailureKind.HTTP_5XX;
        String detail = a.known() ? a.vendor().label() + " " + status : "HTTP " + status;
        return new OriginFailure(site.clock().instant(), kind, status, a, notReceived, detail);
    }

    /** {@code text} cut to {@value #MAX_DETAIL} characters. */
    static String shorten(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
    }
}
