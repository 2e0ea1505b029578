package dev.outlast.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * What one call to an upstream produced: a {@code result}, a JSON-RPC {@code error} that is the
 * answer (deterministic, e.g. execution reverted), or a {@link FailureKind} failure worth trying
 * elsewhere.
 *
 * @param upstream     the upstream's name
 * @param result       the {@code result} member, when the call succeeded
 * @param error        the {@code error} member, when the upstream answered with a deterministic error
 * @param failure      the kind of failure, when the call failed
 * @param detail       a short, redacted description of the failure (status, vendor, error message)
 * @param retryAfter   for {@link FailureKind#RATE_LIMITED}: how long the upstream asked to wait
 * @param latencyNanos how long the call took
 */
public record UpstreamReply(String upstream, JsonNode result, JsonNode error, FailureKind failure, String detail,
                            Duration retryAfter, long latencyNanos) {

    public static UpstreamReply result(String upstream, JsonNode result, long latencyNanos) {
        return new UpstreamReply(upstream, result, null, null, null, null, latencyNanos);
    }

    public static UpstreamReply error(String upstream, JsonNode error, long latencyNanos) {
        return new UpstreamReply(upstream, null, error, null, null, null, latencyNanos);
    }

    public static UpstreamReply failure(String upstream, FailureKind kind, String detail, long latencyNanos) {
        return new UpstreamReply(upstream, null, null, kind, detail, null, latencyNanos);
    }

    public static UpstreamReply rateLimited(String upstream, Duration retryAfter, String detail, long latencyNanos) {
        return new UpstreamReply(upstream, null, null, FailureKind.RATE_LIMITED, detail, retryAfter, latencyNanos);
    }

    /** The upstream answered (with a result or a deterministic error). */
    public boolean isAnswer() {
        return failure == null;
    }

    public boolean isFailure() {
        return failure != null;
    }
}
