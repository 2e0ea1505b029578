package dev.outlast.drill.sim;

/**
 * A JSON-RPC error the simulated chain answers with: {@code -32000} for rejected transactions and
 * unknown blocks (as geth), {@code -32601} unknown method, {@code -32602} invalid params. Cheap: no
 * stack trace.
 */
public final class RpcError extends RuntimeException {

    public static final int SERVER_ERROR = -32000;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INVALID_REQUEST = -32600;
    public static final int PARSE_ERROR = -32700;

    private final int code;

    public RpcError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
