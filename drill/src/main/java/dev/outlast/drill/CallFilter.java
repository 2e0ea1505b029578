package dev.outlast.drill;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides, while a proxy holds its serializing lock ({@link FaultProxy#serializeForwarding}), which
 * JSON-RPC calls it answers itself instead of forwarding, and learns the upstream's answers to the
 * others. The gossip between test nodes uses it to hand each transaction to each node once, as a
 * real node drops a transaction it already has. Calls of a batch are decided one by one; the calls
 * forwarded go on together as one batch. Implementations must be thread-safe; they are called
 * under the lock, on the request's thread.
 */
public interface CallFilter {

    /** The answer to {@code call} (a JSON-RPC request object), with its id, or null to forward it. */
    JsonNode answer(JsonNode call);

    /** The upstream answered the forwarded {@code call} with {@code answer} (a JSON-RPC response object). */
    void answered(JsonNode call, JsonNode answer);
}
