package dev.outlast.health;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlast.time.Ticker;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;

/** Replies of one upstream, {@code "a"}, for health tests. */
final class Replies {

    static final String NAME = "a";

    private Replies() {
    }

    static UpstreamReply ok(long latencyMs) {
        return UpstreamReply.result(NAME, TextNode.valueOf("0x1"), Duration.ofMillis(latencyMs).toNanos());
    }

    static UpstreamReply ok() {
        return ok(50);
    }

    static UpstreamReply timeout() {
        return UpstreamReply.failure(NAME, FailureKind.TIMEOUT, "no answer within 2000 ms",
                Duration.ofSeconds(2).toNanos());
    }

    static UpstreamReply headerNotFound() {
        return UpstreamReply.failure(NAME, FailureKind.NODE_ERROR, "header not found", 1_000_000);
    }

    static UpstreamReply tooManyRequests(Duration retryAfter) {
        return UpstreamReply.rateLimited(NAME, retryAfter, "HTTP 429", 1_000_000);
    }

    /** A health whose chain id has been verified, so it takes traffic. */
    static UpstreamHealth verified(Ticker ticker) {
        UpstreamHealth health = new UpstreamHealth(NAME, ticker, null);
        health.chainIdChecked(null);
        return health;
    }
}
