package dev.outlast.routing.nonce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.outlast.routing.RpcOutcome;
import dev.outlast.rpc.BlockParam;
import dev.outlast.rpc.Quantity;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One chain's nonces as routing uses them: the {@code pending} nonce one honest upstream can serve
 * ({@link PendingNonceRead}, by {@link PendingNonceRule}), and idempotent sends
 * ({@link IdempotentSend}), sharing what Outlast broadcast ({@link SentTransactions}).
 *
 * <p>{@code eth_getBalance(…, "pending")} is not served here and stays on consensus: a pending
 * balance moves with any transaction in the pools that pays the account or spends from it, of
 * which Outlast sees only its own, so there is no proven bound to hold the upstreams' answers to.
 *
 * <p>Thread-safe.
 */
public final class Nonces {

    private static final String NONCE = "eth_getTransactionCount";

    private final NonceRouting routing;
    private final SentTransactions sent;

    public Nonces(NonceRouting routing) {
        this.routing = routing;
        this.sent = new SentTransactions(routing.chain().ticker());
    }

    /**
     * {@code eth_getTransactionCount(address, "pending")} served by {@link PendingNonceRule}; null
     * when {@code method} and {@code params} are anything else, or no head is known yet (the
     * ordinary read then serves it).
     */
    public CompletableFuture<RpcOutcome> pending(String method, JsonNode params) {
        if (!NONCE.equals(method) || !(params instanceof ArrayNode array) || array.size() != 2
                || !array.get(0).isTextual() || !Quantity.isHex(array.get(0).textValue(), 40, 40)
                || !(BlockParam.of(array.get(1)) instanceof BlockParam.Tag tag) || !tag.name().equals("pending")) {
            return null;
        }
        long block = routing.servedHead();
        if (block < 0) {
            return null;
        }
        String address = array.get(0).textValue().toLowerCase(Locale.ROOT);
        return new PendingNonceRead(routing, sent, address, block).start();
    }

    /** {@code eth_sendRawTransaction} with {@code params}, made idempotent around {@code broadcast}. */
    public CompletableFuture<RpcOutcome> send(JsonNode params, Supplier<CompletableFuture<RpcOutcome>> broadcast) {
        JsonNode raw = params instanceof ArrayNode array && array.size() > 0 ? array.get(0) : null;
        if (raw == null || !raw.isTextual() || !raw.textValue().startsWith("0x")) {
            return broadcast.get();
        }
        return IdempotentSend.send(routing, sent, raw.textValue(), broadcast);
    }

    /** Forgets the broadcast transactions seen mined at {@code block} or above: a reorg replaced those blocks. */
    public void replaced(long block) {
        sent.replaced(block);
    }
}
