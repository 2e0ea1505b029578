package dev.outlast.upstream;

/**
 * Every way a call to an upstream can fail. Each kind has a metric label and the words the status
 * page and API show; routing switches on it. All kinds are worth trying another upstream for: a
 * deterministic JSON-RPC error (execution reverted, invalid params) is an answer, not a failure,
 * and never appears here.
 */
public enum FailureKind {
    TIMEOUT("timeout", "timed out"),
    CONNECT("connect", "connection failed"),
    RESET("reset", "connection reset"),
    HTTP_5XX("http_5xx", "server error"),
    VENDOR_PAGE("vendor_page", "vendor error page"),
    RATE_LIMITED("rate_limited", "rate limited"),
    HTTP_4XX("http_4xx", "refused the request"),
    BAD_RESPONSE("bad_response", "malformed response"),
    NODE_ERROR("node_error", "node could not serve"),
    WRONG_ANSWER("wrong_answer", "wrong answer"),
    WRONG_CHAIN("wrong_chain", "wrong chain id");

    private final String label;
    private final String words;

    FailureKind(String label, String words) {
        this.label = label;
        this.words = words;
    }

    /** The metric label and API value. */
    public String label() {
        return label;
    }

    /** Human words for the status page and logs. */
    public String words() {
        return words;
    }
}
