package dev.outlast.frontdoor;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import dev.outlast.attribution.Attribution;
import dev.outlast.attribution.Attributor;
import dev.outlast.attribution.Source;
import dev.outlast.incident.IncidentView;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;

/**
 * Classifies what one probe of a CDN path got: an HTTP answer through attribution (did the edge
 * generate the error page, or pass the origin's through?), or the way the connection failed. Every
 * failure to connect, to complete TLS with a certificate for the steered hostname, or to answer
 * within the deadline is the path's fault.
 *
 * <p>Thread-safe (stateless).
 */
final class PathFailures {

    private PathFailures() {
    }

    /** An HTTP answer: below 400 passes; an error is attributed from its headers and the start of its body. */
    static ProbeResult answer(int status, HttpHeaders headers, String bodyPrefix, double ms) {
        if (status < 400) {
            return ProbeResult.pass(status, ms);
        }
        Attribution a = Attributor.attribute(status, headers, bodyPrefix);
        PathVerdict verdict = !a.known() ? PathVerdict.UNATTRIBUTED : switch (a.source()) {
            case VENDOR -> PathVerdict.PATH;
            case ORIGIN -> PathVerdict.ORIGIN;
            case UNKNOWN -> PathVerdict.UNATTRIBUTED;
        };
        String where = IncidentView.where(a.vendor(), a.source(),
                a.location() == null ? List.of() : List.of(a.location()));
        return new ProbeResult(verdict, a.known() ? "vendor_page" : "http_status", "HTTP " + status + ", " + where,
                a.vendor(), a.known() ? a.source() : Source.UNKNOWN, a.location(), ms);
    }

    /** A probe that got no HTTP answer. */
    static ProbeResult of(Throwable error, Duration timeout, String connectTo, double ms) {
        Throwable cause = Exceptions.peel(error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error);
        if (cause instanceof UnprocessedRequestException u && u.getCause() != null) {
            cause = Exceptions.peel(u.getCause());
        }
        if (cause instanceof ResponseTimeoutException) {
            return ProbeResult.unreachable("timeout", "no answer within " + timeout.toMillis() + " ms", ms);
        }
        if (cause instanceof ConnectTimeoutException) {
            return ProbeResult.unreachable("connect", "connecting to " + connectTo + " timed out", ms);
        }
        if (cause instanceof UnknownHostException) {
            return ProbeResult.unreachable("connect", "cannot resolve " + connectTo, ms);
        }
        if (cause instanceof ConnectException) {
            return ProbeResult.unreachable("connect", "connection to " + connectTo + " refused", ms);
        }
        SSLException tls = tls(cause);
        if (tls != null) {
            return ProbeResult.unreachable("tls", "TLS with " + connectTo + " failed: " + innermost(tls), ms);
        }
        if (cause instanceof ClosedSessionException) {
            return ProbeResult.unreachable("connect", "connection to " + connectTo + " closed before an answer", ms);
        }
        return ProbeResult.unreachable("connect", connectTo + ": " + innermost(cause), ms);
    }

    private static SSLException tls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException s) {
                return s;
            }
        }
        return null;
    }

    private static String innermost(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
