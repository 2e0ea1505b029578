package dev.outlast.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.rpc.BlockParam;
import dev.outlast.rpc.MethodCatalog;
import dev.outlast.rpc.Quantity;
import java.util.Optional;
import java.util.Set;

/**
 * What may be cached, and until when.
 *
 * <h2>Implementation note</h2>
 * An answer is cached only when it cannot change while its block stays on the chain: it names a
 * block by hash (a hash fixes the block's contents), or it is pinned to a concrete block number
 * (routing rewrites {@code latest} to the served head before this is asked, so {@code latest} is
 * cached only for its own block and a new head is a new key). Such an answer is {@link
 * Validity#FOREVER} when its block is final, and otherwise holds while the block's hash is the one
 * the chain had when it was cached: state at block {@code n} depends on every block up to
 * {@code n}, so a reorg at or below {@code n} changes the hash at {@code n} and invalidates it.
 * A transaction or receipt by hash depends on the block it was mined in. Never cached: errors,
 * {@code null} results (what a lagging upstream returns for a block or transaction it has not
 * seen), {@code pending} and unpinned requests, empty log lists above the final block, and answers
 * that consensus did not confirm (the caller says which).
 *
 * <p>Thread-safe (stateless).
 */
public final class CachePolicy {

    /**
     * Methods whose answer is fixed by their block parameter ({@link MethodCatalog#blockParamOf});
     * not {@code eth_estimateGas} or {@code eth_createAccessList}, which providers answer differently.
     */
    private static final Set<String> AT_BLOCK = Set.of("eth_getBalance", "eth_getTransactionCount", "eth_getCode",
            "eth_getStorageAt", "eth_call", "eth_getProof", "eth_getBlockByNumber",
            "eth_getBlockTransactionCountByNumber", "eth_getTransactionByBlockNumberAndIndex",
            "eth_getUncleCountByBlockNumber", "eth_getUncleByBlockNumberAndIndex", "eth_getBlockReceipts",
            "eth_feeHistory");
    private static final Set<String> BY_BLOCK_HASH = Set.of("eth_getBlockByHash",
            "eth_getBlockTransactionCountByHash", "eth_getTransactionByBlockHashAndIndex",
            "eth_getUncleCountByBlockHash", "eth_getUncleByBlockHashAndIndex");
    private static final Set<String> BY_TRANSACTION_HASH = Set.of("eth_getTransactionByHash",
            "eth_getTransactionReceipt");
    private static final Set<String> CONSTANT = Set.of("net_version");

    private CachePolicy() {
    }

    /** True when answers to {@code method} may be cached at all; cheap, for the request path. */
    public static boolean mayCache(String method) {
        return AT_BLOCK.contains(method) || BY_BLOCK_HASH.contains(method)
                || BY_TRANSACTION_HASH.contains(method) || CONSTANT.contains(method) || "eth_getLogs".equals(method);
    }

    /**
     * How long an answer stays true, or empty when it must not be cached.
     *
     * @param params    the params as sent upstream (block tags already pinned)
     * @param result    the result (null or JSON null for none)
     * @param confirmed false when consensus applied and fewer upstreams than required agreed
     */
    public static Optional<Validity> validity(String method, JsonNode params, JsonNode result, boolean confirmed,
                                              Finality finality) {
        if (!confirmed || result == null || result.isNull() || result.isMissingNode() || !params.isArray()) {
            return Optional.empty();
        }
        if (CONSTANT.contains(method) || BY_BLOCK_HASH.contains(method)) {
            return Optional.of(Validity.FOREVER);
        }
        if (BY_TRANSACTION_HASH.contains(method)) {
            return minedIn(result, finality);
        }
        if ("eth_getLogs".equals(method)) {
            return logs(params, result, finality);
        }
        int index = AT_BLOCK.contains(method) ? MethodCatalog.blockParamOf(method) : -1;
        if (index < 0 || index >= params.size()) {
            return Optional.empty();
        }
        return switch (BlockParam.of(params.get(index))) {
            case BlockParam.Hash h -> params.get(index).path("requireCanonical").asBoolean(false)
                                      ? Optional.empty() : Optional.of(Validity.FOREVER);
            case BlockParam.Number n -> {
                Optional<Validity> at = atBlock(n.value(), finality);
                if (at.isPresent() && !at.get().isForever() && "eth_getBlockByNumber".equals(method)
                        && !at.get().hash().equals(result.path("hash").asText(null))) {
                    // The block an upstream returned is not the one the chain had: not cached.
                    yield Optional.empty();
                }
                yield at;
            }
            default -> Optional.empty();
        };
    }

    /** A transaction or receipt: true while the block it was mined in is canonical. */
    private static Optional<Validity> minedIn(JsonNode result, Finality finality) {
        Optional<Long> number = Quantity.parse(result.path("blockNumber").asText(""));
        String hash = result.path("blockHash").asText(null);
        if (number.isEmpty() || hash == null) {
            return Optional.empty();
        }
        if (number.get() <= finality.finalBlock()) {
            return Optional.of(Validity.FOREVER);
        }
        return hash.equals(finality.hashAt(number.get())) ? Optional.of(new Validity(number.get(), hash))
                                                          : Optional.empty();
    }

    private static Optional<Validity> logs(JsonNode params, JsonNode result, Finality finality) {
        JsonNode filter = params.size() == 1 ? params.get(0) : null;
        if (filter == null || !filter.isObject() || !result.isArray()) {
            return Optional.empty();
        }
        if (filter.has("blockHash")) {
            // An upstream that does not know the block may answer an empty list.
            return result.isEmpty() ? Optional.empty() : Optional.of(Validity.FOREVER);
        }
        if (!(BlockParam.of(filter.get("fromBlock")) instanceof BlockParam.Number)
                || !(BlockParam.of(filter.get("toBlock")) instanceof BlockParam.Number to)) {
            return Optional.empty();
        }
        Optional<Validity> at = atBlock(to.value(), finality);
        if (result.isEmpty() && at.isPresent() && !at.get().isForever()) {
            return Optional.empty();
        }
        return at;
    }

    private static Optional<Validity> atBlock(long block, Finality finality) {
        if (block <= finality.finalBlock()) {
            return Optional.of(Validity.FOREVER);
        }
        String hash = finality.hashAt(block);
        return hash == null ? Optional.empty() : Optional.of(new Validity(block, hash));
    }
}
