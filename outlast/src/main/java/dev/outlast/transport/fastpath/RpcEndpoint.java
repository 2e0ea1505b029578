package dev.outlast.transport.fastpath;

import dev.outlast.routing.Chain;
import dev.outlast.transport.RpcReply;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What answers {@code POST /rpc/{chain}} behind either server: the fast path reads the body and
 * asks this for the answer, as Armeria's service does.
 *
 * <p>Implementations are thread-safe and never block the calling event loop.
 */
public interface RpcEndpoint {

    /** The chains served, by id. */
    Map<String, Chain> chains();

    /**
     * The answer to one body for {@code chain}. Never completes exceptionally: an unexpected failure
     * is a JSON-RPC internal error.
     */
    CompletableFuture<RpcReply> reply(Chain chain, byte[] body);
}
