package dev.outlast.site;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import dev.outlast.attribution.Attribution;
import dev.outlast.attribution.Attributor;
import dev.outlast.upstream.FailureKind;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * Turns what an attempt on an origin produced into an {@link OriginFailure}: an exception before
 * the response headers, or a 5xx response with its body.
 *
 * <p>Thread-safe (stateless).
 */
final class Attempts {

    private Attempts() {
    }

    /**
     * A failure before any response: a connection that failed before the request was written
     * (Armeria's {@link UnprocessedRequestException}: the origin provably never received it), a
     * response timeout, or anything else (a reset, a closed stream: the origin may have received it).
     */
    static OriginFailure fromException(Site site, Throwable error) {
        Throwable cause = Exceptions.peel(error instanceof CompletionException ? error.getCause() : error);
        if (cause instanceof UnprocessedRequestException unprocessed) {
            Throwable inner = unprocessed.getCause() != null ? unprocessed.getCause() : unprocessed;
            return new OriginFailure(site.clock().instant(), FailureKind.CONNECT, 0, Attribution.UNKNOWN, true,
                                     describe(inner));
        }
        if (cause instanceof ResponseTimeoutException) {
            return new OriginFailure(site.clock().instant(), FailureKind.TIMEOUT, 0, Attribution.UNKNOWN, false,
                                     "no response headers within " + site.config().responseTimeout().toMillis()
                                     + " ms");
        }
        return new OriginFailure(site.clock().instant(), FailureKind.RESET, 0, Attribution.UNKNOWN, false,
                                 describe(cause));
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

    static String describe(Throwable t) {
        String message = t.getMessage();
        String text = message == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + message;
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
