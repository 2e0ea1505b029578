package dev.outlast.transport;

import java.util.Locale;

/**
 * Every way a call can fail, for every client Outlast makes: an RPC provider's and a site origin's
 * alike. The transport failures ({@link #CONNECT}, {@link #TIMEOUT}, {@link #RESET}) come from the
 * clients themselves ({@link dev.outlast.transport.client.CallFailure}); the others from reading
 * what was answered (a 5xx, a vendor's error page, a malformed or wrong answer). Each kind has a
 * metric label and the words the status page and API show; routing, health, the monitor and the
 * site failover switch on it. All kinds are worth trying another upstream or origin for: a
 * deterministic JSON-RPC error (execution reverted, invalid params) is an answer, not a failure,
 * and never appears here.
 *
 * <p>Immutable; thread-safe.
 */
public enum FailureKind {
    TIMEOUT("timed out"),
    CONNECT("connection failed"),
    RESET("connection reset"),
    HTTP_5XX("server error"),
    VENDOR_PAGE("vendor error page"),
    RATE_LIMITED("rate limited"),
    HTTP_4XX("refused the request"),
    BAD_RESPONSE("malformed response"),
    NODE_ERROR("node could not serve"),
    WRONG_ANSWER("wrong answer"),
    WRONG_CHAIN("wrong chain id");

    /** The constant's name in lower case. */
    private final String label = name().toLowerCase(Locale.ROOT);
    private final String words;

    FailureKind(String words) {
        this.words = words;
    }

    /** The metric label and API value, e.g. {@code http_5xx}. */
    public String label() {
        return label;
    }

    /** Human words for the status page and logs. */
    public String words() {
        return words;
    }
}
