package dev.outlast.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * Tells a JSON-RPC error that means "this node can't serve this now" (rate or limit errors, a
 * lagging or pruned node, an unsupported method, an internal error), worth trying another upstream
 * for, from a deterministic error that is the answer (execution reverted, invalid params,
 * insufficient funds), which is returned to the client as it came.
 *
 * <p>Unknown errors are treated as answers: retrying a deterministic error elsewhere only wastes
 * the deadline, and consensus still compares them.
 */
public final class RpcErrorClassifier {

    private static final List<String> NODE_CANT = List.of(
            "rate limit", "too many requests", "limit exceeded", "exceeded", "capacity", "throttl",
            "missing trie node", "header not found", "unknown block", "block not found", "not available",
            "pruned", "state is not available", "historical state", "timeout", "timed out", "busy",
            "try again", "temporarily", "unavailable", "upstream", "backend", "internal error",
            "unauthorized", "forbidden", "api key", "project id", "not supported", "unsupported",
            "does not exist/is not available", "method not found", "syncing", "server error");

    private static final List<String> ANSWERS = List.of(
            "execution reverted", "revert", "invalid opcode", "out of gas", "insufficient funds",
            "nonce too low", "nonce too high", "already known", "known transaction", "replacement transaction",
            "intrinsic gas", "invalid sender", "invalid signature", "invalid argument", "invalid params",
            "cannot unmarshal", "gas required exceeds allowance");

    /** Errors of a node that does not have the asked block (yet): a lagging node catches up. */
    private static final List<String> BLOCK_NOT_YET = List.of(
            "header not found", "unknown block", "block not found", "cannot find block", "no such block");

    private RpcErrorClassifier() {
    }

    /**
     * True when {@code error} says the node does not have the asked block: a node a few blocks
     * behind answers so for a block its peers already have, and has it moments later.
     */
    public static boolean blockNotYetKnown(JsonNode error) {
        String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
        return BLOCK_NOT_YET.stream().anyMatch(message::contains);
    }

    /** True when {@code error} (a JSON-RPC error object) means another upstream may do better. */
    public static boolean nodeCannotServe(JsonNode error) {
        int code = error.path("code").asInt(0);
        String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
        for (String answer : ANSWERS) {
            if (message.contains(answer)) {
                return false;
            }
        }
        if (code == -32601 || code == -32603 || code == -32005 || code == 429 || code == -32029) {
            return true;
        }
        if (code == -32602 || code == 3) {
            return false;
        }
        for (String pattern : NODE_CANT) {
            if (message.contains(pattern)) {
                return true;
            }
        }
        return false;
    }
}
