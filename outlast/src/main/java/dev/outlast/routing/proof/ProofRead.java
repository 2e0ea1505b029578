package dev.outlast.routing.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.routing.RpcOutcome;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcResponse;
import dev.outlast.verify.AccountProof;
import dev.outlast.verify.ProofException;
import dev.outlast.verify.VerifiedAccount;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.web3j.utils.Numeric;

/**
 * A balance, nonce or storage read answered from a Merkle-Patricia proof instead of a vote.
 *
 * <h2>Implementation note</h2>
 * For the pinned block: the header is read by consensus ({@link RoutedReads#agreed} on
 * {@code eth_getBlockByNumber}, so {@code k} upstreams must return the identical header), its hash
 * is recomputed from its fields and must equal the agreed hash, and its {@code stateRoot} is kept
 * per block by {@link StateRoots}. Then {@code eth_getProof} is asked of one upstream at a time
 * ({@link RoutedReads#firstValid} with a validator): a proof that does not verify against that state root
 * quarantines its upstream like a liar and the next is asked. The value served is the one the proof
 * proves, never the upstream's own claim, so one honest upstream is enough. Refuses with
 * {@code proof_invalid} when every proof offered was wrong, {@code proof_unavailable} when no header
 * or no proof could be had; never serves an unverified value. Requests not pinned to a block number
 * are not handled here (the caller falls back to consensus).
 */
final class ProofRead {

    static final Set<String> METHODS = Set.of("eth_getBalance", "eth_getTransactionCount", "eth_getStorageAt",
            "eth_getCode");

    private final RoutedReads reads;
    private final ProofSupport support;
    private final StateRoots roots;
    private final String method;
    private final ArrayNode params;
    private final long block;

    ProofRead(RoutedReads reads, ProofSupport support, StateRoots roots, String method, ArrayNode params, long block) {
        this.reads = reads;
        this.support = support;
        this.roots = roots;
        this.method = method;
        this.params = params;
        this.block = block;
    }

    CompletableFuture<RpcOutcome> start() {
        if (!params.get(0).isTextual() || !Quantity.isHex(params.get(0).textValue(), 40, 40)) {
            return CompletableFuture.completedFuture(RpcOutcome.error(OutlastError.INVALID_PARAMS,
                    "Invalid params: the address must be 20 bytes of hex, 0x-prefixed", reads.chain().id()));
        }
        if (method.equals("eth_getStorageAt") && (params.get(1) == null || !params.get(1).isTextual()
                || !Quantity.isHex(params.get(1).textValue(), 1, 64))) {
            return CompletableFuture.completedFuture(RpcOutcome.error(OutlastError.INVALID_PARAMS,
                    "Invalid params: the storage slot must be a hex quantity of at most 32 bytes", reads.chain().id()));
        }
        String address = params.get(0).textValue().toLowerCase(Locale.ROOT);
        return roots.stateRoot(block).thenCompose(root -> {
            if (root.error() != null) {
                return CompletableFuture.completedFuture(root.error());
            }
            return prove(address, root.stateRoot());
        });
    }

    private CompletableFuture<RpcOutcome> prove(String address, byte[] stateRoot) {
        ArrayNode slots = JsonNodeFactory.instance.arrayNode();
        if (method.equals("eth_getStorageAt")) {
            slots.add(params.get(1));
        }
        ArrayNode proofParams = JsonNodeFactory.instance.arrayNode().add(address).add(slots)
                .add(Quantity.format(block));
        return reads.firstValid("eth_getProof", proofParams, true, deadline(),
                        support.provers(reads.chain().upstreams()), block,
                        reply -> check(reply.result(), address, stateRoot))
                .thenApply(outcome -> {
                    if (outcome.response().isError()) {
                        return refused(outcome);
                    }
                    VerifiedAccount account = AccountProof.verify(stateRoot, outcome.response().result());
                    return new RpcOutcome(RpcResponse.result(value(account)), outcome.upstreams(), null, "ok",
                            "proof");
                })
                .thenCompose(outcome -> method.equals("eth_getCode") && !outcome.response().isError()
                        ? code(address, outcome) : CompletableFuture.completedFuture(outcome));
    }

    /**
     * {@code eth_getCode}: the proof gave the code hash; the code itself is asked of one upstream
     * at a time and must hash to it. An account without code needs no second call.
     */
    private CompletableFuture<RpcOutcome> code(String address, RpcOutcome proven) {
        byte[] codeHash = Numeric.hexStringToByteArray(proven.response().result().textValue());
        if (java.util.Arrays.equals(codeHash, AccountProof.EMPTY_CODE_HASH)) {
            return CompletableFuture.completedFuture(new RpcOutcome(RpcResponse.result(TextNode.valueOf("0x")),
                    proven.upstreams(), null, "ok", "proof"));
        }
        ArrayNode codeParams = JsonNodeFactory.instance.arrayNode().add(address).add(Quantity.format(block));
        List<ChainUpstream> all = reads.chain().upstreams();
        return reads.firstValid("eth_getCode", codeParams, true, deadline(), all, block, reply -> {
            JsonNode code = reply.result();
            if (code == null || !code.isTextual()) {
                return "eth_getCode answer is not hex";
            }
            byte[] hash = org.web3j.crypto.Hash.sha3(Numeric.hexStringToByteArray(code.textValue()));
            return java.util.Arrays.equals(hash, codeHash) ? null
                    : "eth_getCode answer does not hash to the proven code hash";
        }).thenApply(outcome -> outcome.response().isError() ? refused(outcome)
                : new RpcOutcome(outcome.response(), outcome.upstreams(), null, "ok", "proof"));
    }

    /** Null when the proof verifies for the address asked, else why not. */
    private String check(JsonNode proof, String address, byte[] stateRoot) {
        try {
            VerifiedAccount account = AccountProof.verify(stateRoot, proof);
            String proven = Numeric.toHexString(account.address());
            if (!proven.equalsIgnoreCase(address)) {
                return "eth_getProof answered for " + proven + " instead of " + address;
            }
            if (method.equals("eth_getStorageAt") && !account.storage().containsKey(slot())) {
                return "eth_getProof did not prove slot " + params.get(1).asText();
            }
            return null;
        } catch (ProofException | IllegalArgumentException | NullPointerException e) {
            return "eth_getProof failed verification: " + e.getMessage();
        }
    }

    private JsonNode value(VerifiedAccount account) {
        return switch (method) {
            case "eth_getBalance" -> TextNode.valueOf(quantity(account.balance()));
            case "eth_getTransactionCount" -> TextNode.valueOf(quantity(account.nonce()));
            case "eth_getCode" -> TextNode.valueOf(Numeric.toHexString(account.codeHash()));
            default -> TextNode.valueOf(Numeric.toHexStringWithPrefixZeroPadded(account.storage().get(slot()), 64));
        };
    }

    private BigInteger slot() {
        return Numeric.toBigInt(params.get(1).asText());
    }

    private static String quantity(BigInteger value) {
        return "0x" + value.toString(16);
    }

    private RpcOutcome refused(RpcOutcome failed) {
        JsonNode data = failed.response().error().path("data");
        boolean lies = data.path("upstreams").toString().contains("\"wrong_answer\"");
        OutlastError error = lies ? OutlastError.PROOF_INVALID : OutlastError.PROOF_UNAVAILABLE;
        ObjectNode node = RpcErrors.of(error, lies
                ? "Every proof offered for " + method + " failed verification"
                : "No verified answer for " + method + " could be obtained");
        ObjectNode out = RpcErrors.data(node);
        out.put("chain", reads.chain().id()).put("block", Quantity.format(block));
        if (data.has("upstreams")) {
            out.set("upstreams", data.get("upstreams"));
        }
        return new RpcOutcome(RpcResponse.error(node), List.of(), null, error.reason());
    }

    private long deadline() {
        return reads.chain().ticker().nanos() + reads.chain().config().requestTimeout().toNanos();
    }
}
