package dev.outlast.routing.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.routing.RpcOutcome;
import dev.outlast.rpc.RpcResponse;
import dev.outlast.verify.BlockHeader;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.utils.Numeric;

/**
 * The state root (and the rest of the header: transactions and receipts roots, the transaction
 * hashes) of each pinned block, established once per block: the header as {@code k} upstreams
 * return it identically (consensus), whose hash recomputed from its fields equals the hash they
 * gave. {@code k} is {@code minAgree} while that many upstreams are usable, else the number that
 * are (at least one): with one liar of two quarantined, the honest one's header stands alone, as
 * the "by default two when two or more are usable" asks. Successes are kept for {@value #KEEP_BLOCKS} blocks below the newest asked, and
 * forgotten from a block a reorg replaced ({@link dev.outlast.routing.head.CanonicalChain}, with the cache on); failures are
 * not kept, so the next request tries again. Between a reorg and its detection (one head poll) a
 * proof from the new branch fails against the old header, as a stale cached answer would be served.
 *
 * <p>Thread-safe.
 */
final class StateRoots {

    static final int KEEP_BLOCKS = 256;

    /** A verified state root and the agreed header it came from, or the error to answer with. */
    record Root(byte[] stateRoot, JsonNode header, RpcOutcome error) {
    }

    private final RoutedReads reads;
    private final ConcurrentHashMap<Long, CompletableFuture<Root>> roots = new ConcurrentHashMap<>();

    StateRoots(RoutedReads reads) {
        this.reads = reads;
    }

    /** Forgets the headers of {@code block} and above: a reorg replaced them. */
    void forgetFrom(long block) {
        roots.keySet().removeIf(b -> b >= block);
    }

    CompletableFuture<Root> stateRoot(long block) {
        CompletableFuture<Root> mine = new CompletableFuture<>();
        CompletableFuture<Root> existing = roots.putIfAbsent(block, mine);
        if (existing != null) {
            return existing;
        }
        roots.keySet().removeIf(b -> b < block - KEEP_BLOCKS);
        fetch(block).whenComplete((root, error) -> {
            Root result = error != null ? failed(block, "internal error: " + error) : root;
            if (result.error() != null) {
                roots.remove(block, mine);
            }
            mine.complete(result);
        });
        return mine;
    }

    private CompletableFuture<Root> fetch(long block) {
        ArrayNode params = JsonNodeFactory.instance.arrayNode().add(Quantity.format(block)).add(false);
        // minAgree upstreams must agree when that many are usable; fewer (down to one) when fewer
        // are: a liar quarantined for its proofs must not stop the honest one's proofs at new blocks.
        int usable = reads.usable(block);
        int k = Math.max(1, Math.min(reads.chain().config().effectiveMinAgree(), usable));
        // Every proof at this block waits on this header: one upstream more than k is asked at
        // once (when one more has the block), so that a slow one does not hold them all up.
        int spare = usable > k ? 1 : 0;
        CompletableFuture<RpcOutcome> agreed = reads.agreed("eth_getBlockByNumber", params, block, k, spare);
        if (agreed == null) {
            return CompletableFuture.completedFuture(failed(block, "no upstream can be asked for the header"));
        }
        return agreed.thenApply(outcome -> {
            if (outcome.response().isError()) {
                return failed(block, "no agreement on the header: "
                        + outcome.response().error().path("message").asText());
            }
            JsonNode header = outcome.response().result();
            if (header == null || !header.isObject()) {
                return failed(block, "the upstreams do not have the block");
            }
            try {
                byte[] computed = BlockHeader.hash(header);
                byte[] claimed = Numeric.hexStringToByteArray(header.path("hash").asText());
                if (!Arrays.equals(computed, claimed)) {
                    return failed(block, "the agreed header does not hash to its hash "
                            + header.path("hash").asText());
                }
                return new Root(Numeric.hexStringToByteArray(header.path("stateRoot").asText()), header, null);
            } catch (RuntimeException e) {
                return failed(block, "the header cannot be verified: " + e.getMessage());
            }
        });
    }

    private Root failed(long block, String why) {
        ObjectNode node = RpcErrors.of(OutlastError.PROOF_UNAVAILABLE, "No verified state for block "
                + Quantity.format(block) + ": " + why);
        RpcErrors.data(node).put("chain", reads.chain().id()).put("block", Quantity.format(block));
        return new Root(null, null, new RpcOutcome(RpcResponse.error(node), List.of(), null,
                OutlastError.PROOF_UNAVAILABLE.reason()));
    }
}
