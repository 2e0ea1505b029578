package dev.outlast.rpc;

/**
 * Every error Outlast itself returns, with its JSON-RPC code and the stable word in
 * {@code error.data.reason}. Codes of Outlast's own errors lie in {@code -32099..-32050}; the
 * standard JSON-RPC codes are used for malformed requests. Documented in {@code docs/reference.md};
 * never renumber a value.
 */
public enum OutlastError {
    PARSE_ERROR(-32700, "parse_error", "Parse error"),
    INVALID_REQUEST(-32600, "invalid_request", "Invalid request"),
    METHOD_NOT_FOUND(-32601, "method_not_found", "Method not found"),
    INVALID_PARAMS(-32602, "invalid_params", "Invalid params"),
    INTERNAL_ERROR(-32603, "internal_error", "Internal error"),

    NO_USABLE_UPSTREAM(-32050, "no_usable_upstream", "No usable upstream"),
    ALL_UPSTREAMS_FAILED(-32051, "all_upstreams_failed", "All upstreams failed"),
    NO_QUORUM(-32052, "no_quorum", "Upstreams did not agree"),
    DEADLINE_EXCEEDED(-32053, "deadline_exceeded", "Request deadline exceeded"),
    METHOD_NOT_ALLOWED(-32054, "method_not_allowed", "Method not allowed"),
    BLOCK_UNAVAILABLE(-32055, "block_unavailable", "Block not available from any usable upstream"),
    BATCH_TOO_LARGE(-32056, "batch_too_large", "Batch too large"),
    REQUEST_TOO_LARGE(-32057, "request_too_large", "Request too large"),
    TOO_DEEP(-32058, "too_deep", "Request nested too deeply"),
    UNKNOWN_CHAIN(-32059, "unknown_chain", "Unknown chain"),
    PROOF_INVALID(-32060, "proof_invalid", "Every proof offered failed verification"),
    PROOF_UNAVAILABLE(-32061, "proof_unavailable", "No verified answer could be obtained"),
    RANGE_TOO_WIDE(-32062, "range_too_wide", "Block range too wide"),
    STALE_HEAD(-32063, "stale_head", "No upstream that keeps up could prove the newest block");

    private final int code;
    private final String reason;
    private final String message;

    OutlastError(int code, String reason, String message) {
        this.code = code;
        this.reason = reason;
        this.message = message;
    }

    /** The JSON-RPC {@code error.code}. */
    public int code() {
        return code;
    }

    /** The stable word in {@code error.data.reason}. */
    public String reason() {
        return reason;
    }

    /** The default {@code error.message}. */
    public String message() {
        return message;
    }
}
