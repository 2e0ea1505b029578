package dev.outlast.routing.nonce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlast.routing.RpcOutcome;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One {@code eth_sendRawTransaction} around the chain's broadcast: idempotent across failover, and
 * with a "nonce too low" checked against the proven nonce before it reaches the client.
 *
 * <h2>Implementation note</h2>
 * A transaction an upstream accepted from Outlast before is answered with its hash and not
 * broadcast again while it is known mined, or within {@link SentTransactions#RESEND_QUIET} of its
 * last broadcast (a client retrying across a failover must not set off a second broadcast storm);
 * later it is broadcast again. Every acceptance is recorded in {@link SentTransactions}. When the
 * broadcast ends in a refusal saying the nonce is used (the broadcast has already looked the
 * transaction up by hash on every upstream), the sender's nonce at the served head is read as a
 * pinned nonce is (proven, or agreed). Above the transaction's nonce, the refusal is confirmed and
 * stands, unless Outlast broadcast this very transaction before and an upstream accepted it: then
 * it is the one mined, and the answer is its hash. Not above, the refusal contradicts the agreed
 * state and is not passed on: the client gets {@code all_upstreams_failed} with both, and may send
 * again. A transaction that cannot
 * be decoded is broadcast as it came, without any of this.
 *
 * <p>Thread-safe: each send is its own chain of futures.
 */
final class IdempotentSend {

    private IdempotentSend() {
    }

    static CompletableFuture<RpcOutcome> send(NonceRouting routing, SentTransactions sent, String raw,
                                              Supplier<CompletableFuture<RpcOutcome>> broadcast) {
        Optional<SignedTx> decoded = SignedTx.decode(raw);
        if (decoded.isEmpty()) {
            return broadcast.get();
        }
        SignedTx tx = decoded.get();
        Optional<SentTransactions.Accepted> known = sent.resend(tx);
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(hash(tx, known.get().upstreams()));
        }
        return broadcast.get().thenCompose(outcome -> {
            if (!outcome.response().isError()) {
                sent.accepted(tx, outcome.upstreams());
                return CompletableFuture.completedFuture(outcome);
            }
            if (!"upstream_error".equals(outcome.outcome()) || !NonceErrors.nonceUsed(outcome.response().error())) {
                return CompletableFuture.completedFuture(outcome);
            }
            return checkNonceUsed(routing, sent, tx, outcome);
        });
    }

    private static CompletableFuture<RpcOutcome> checkNonceUsed(NonceRouting routing, SentTransactions sent,
                                                                SignedTx tx, RpcOutcome refusal) {
        long block = routing.servedHead();
        if (block < 0) {
            return CompletableFuture.completedFuture(refusal);
        }
        return routing.latestNonce(tx.sender(), block).thenApply(latest -> {
            Optional<Long> proven = latest.response().isError() || !latest.response().result().isTextual()
                    ? Optional.empty() : Quantity.parse(latest.response().result().textValue());
            if (proven.isEmpty()) {
                return refusal;
            }
            sent.unmined(tx.sender(), proven.get(), block);
            if (tx.nonce() < proven.get()) {
                return sent.wasAccepted(tx) ? hash(tx, refusal.upstreams()) : refusal;
            }
            ObjectNode error = RpcErrors.of(OutlastError.ALL_UPSTREAMS_FAILED, "No upstream accepted the transaction: "
                    + "their refusal of nonce " + tx.nonce() + " as used contradicts the sender's nonce "
                    + proven.get() + " at block " + Quantity.format(block));
            RpcErrors.data(error).put("chain", routing.chain().id()).put("nonce", Quantity.format(tx.nonce()))
                    .put("provenNonce", Quantity.format(proven.get())).put("block", Quantity.format(block))
                    .set("refusal", refusal.response().error());
            return new RpcOutcome(RpcResponse.error(error), refusal.upstreams(), null,
                    OutlastError.ALL_UPSTREAMS_FAILED.reason());
        });
    }

    private static RpcOutcome hash(SignedTx tx, List<String> upstreams) {
        return new RpcOutcome(RpcResponse.result(TextNode.valueOf(tx.hash())), upstreams, null, "ok");
    }
}
