package dev.outlast.routing.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.config.VerifyMode;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.routing.RpcOutcome;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcResponse;
import dev.outlast.upstream.UpstreamReply;
import dev.outlast.verify.ProofException;
import dev.outlast.verify.Receipts;
import dev.outlast.verify.Transactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.web3j.utils.Numeric;

/**
 * {@code eth_getTransactionReceipt} and {@code eth_getTransactionByHash} verified through the
 * receipts and transactions tries of a block header the upstreams agree on.
 *
 * <h2>Implementation note</h2>
 * One upstream's answer only locates the transaction (block number, index). The header of that
 * block is the agreed one of {@link StateRoots}; its hash must be the answer's {@code blockHash}
 * and its transaction list must hold the asked hash at that index. If not, the header is agreed on
 * again once (a reorg may have replaced the block since, before the reorg watch saw it); if it still
 * contradicts the answer, the locating upstream is quarantined and the lookup starts again (at most
 * once per upstream). Then each upstream in turn is
 * asked for the whole list of the block: the receipts ({@code eth_getBlockReceipts}, or, from an
 * upstream that does not serve it, one {@code eth_getTransactionReceipt} per transaction of the
 * agreed header), or the full transactions ({@code eth_getBlockByNumber(n, true)}). The list must
 * rebuild the header's {@code receiptsRoot} / {@code transactionsRoot} ({@link Receipts},
 * {@link Transactions}); an upstream whose list does not is quarantined like a liar and the next
 * is asked. The answer served is the element at the index from the list that verified, with what
 * the trie does not cover checked where it can be: a receipt's {@code gasUsed}, block hash and
 * logs' transaction; a transaction's hash (its signed fields), {@code from} (recovered from the
 * signature) and position. Not proven: a receipt's {@code from}, {@code to},
 * {@code contractAddress} and {@code effectiveGasPrice}. A {@code null} answer (transaction unknown
 * or pending) cannot be proven and is served as it came, without {@code X-Outlast-Verified}. A block
 * holding a transaction type this version does not know cannot be checked: nobody is quarantined,
 * {@code auto} serves the ordinary read, {@code proofs} refuses with {@code proof_unavailable}.
 *
 * <p>Thread-safe: each read is its own object, confined to the callbacks of its futures.
 */
final class BlockRead {

    static final Set<String> METHODS = Set.of("eth_getTransactionReceipt", "eth_getTransactionByHash");
    private static final String RECEIPT = "eth_getTransactionReceipt";

    private final RoutedReads reads;
    private final ProofSupport support;
    private final StateRoots roots;
    private final String method;
    private final String hash;
    private final long deadline;
    private final List<String> quarantined = new ArrayList<>();
    /** Whether the agreed header was read again after it contradicted an answer (once per read). */
    private boolean headerRefreshed;
    /** Set when the block holds what this version cannot check: nobody is at fault. */
    private volatile boolean unsupported;

    private BlockRead(RoutedReads reads, ProofSupport support, StateRoots roots, String method, String hash) {
        this.reads = reads;
        this.support = support;
        this.roots = roots;
        this.method = method;
        this.hash = hash;
        this.deadline = reads.chain().ticker().nanos() + reads.chain().config().requestTimeout().toNanos();
    }

    /**
     * The verified read, or null when the chain's policy or the params leave it to the ordinary path.
     *
     * @param plain the ordinary read, served under {@code auto} when the block holds something this
     *              version cannot check (a transaction type it does not know)
     */
    static CompletableFuture<RpcOutcome> start(RoutedReads reads, ProofSupport support, StateRoots roots,
                                               String method, JsonNode params,
                                               java.util.function.Supplier<CompletableFuture<RpcOutcome>> plain) {
        VerifyMode mode = reads.chain().config().verify().mode();
        // the cheap checks first: the hash is only scanned when a proof could be asked for
        if (!METHODS.contains(method) || mode == VerifyMode.CONSENSUS || !(params instanceof ArrayNode array)
                || (mode == VerifyMode.AUTO && !support.anyUsableSupports(reads.chain().upstreams()))
                || array.size() != 1 || !array.get(0).isTextual() || !Quantity.isHex(array.get(0).textValue(), 64, 64)) {
            return null;
        }
        BlockRead read = new BlockRead(reads, support, roots, method,
                array.get(0).textValue().toLowerCase(Locale.ROOT));
        return read.locate().thenCompose(outcome -> read.unsupported && mode == VerifyMode.AUTO ? plain.get()
                : CompletableFuture.completedFuture(outcome));
    }

    private CompletableFuture<RpcOutcome> locate() {
        ArrayNode params = JsonNodeFactory.instance.arrayNode().add(hash);
        List<ChainUpstream> askable = reads.chain().upstreams().stream()
                .filter(u -> !quarantined.contains(u.name())).toList();
        return reads.firstValid(method, params, false, deadline, askable, -1,
                reply -> reply.result() == null || reply.result().isNull() || reply.result().isObject() ? null
                        : method + " answered " + reply.result().getNodeType() + " (expected: object or null)")
                .thenCompose(answer -> {
                    JsonNode result = answer.response().isError() ? null : answer.response().result();
                    if (result == null || !result.isObject()) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    Optional<Long> block = Quantity.parse(result.path("blockNumber").asText(""));
                    Optional<Long> index = Quantity.parse(result.path("transactionIndex").asText(""));
                    if (block.isEmpty() || index.isEmpty()) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    return roots.stateRoot(block.get()).thenCompose(root -> root.error() != null
                            ? CompletableFuture.completedFuture(root.error())
                            : located(answer, result, root.header(), block.get(), index.get().intValue()));
                });
    }

    private CompletableFuture<RpcOutcome> located(RpcOutcome answer, JsonNode result, JsonNode header, long block,
                                                  int index) {
        JsonNode listed = header.path("transactions").path(index);
        boolean inBlock = header.path("hash").asText().equalsIgnoreCase(result.path("blockHash").asText())
                && hash.equalsIgnoreCase(listed.isObject() ? listed.path("hash").asText() : listed.asText());
        if (!inBlock && !headerRefreshed) {
            // The agreed header may be one a reorg has replaced since it was agreed (the reorg watch
            // sees it a poll later): agree on the block's header again before anyone is called a liar.
            headerRefreshed = true;
            roots.forgetFrom(block);
            return roots.stateRoot(block).thenCompose(root -> root.error() != null
                    ? CompletableFuture.completedFuture(root.error())
                    : located(answer, result, root.header(), block, index));
        }
        if (!inBlock) {
            String liar = answer.upstreams().isEmpty() ? null : answer.upstreams().get(0);
            if (liar == null || quarantined.size() >= reads.chain().upstreams().size()) {
                return CompletableFuture.completedFuture(error(OutlastError.PROOF_INVALID,
                        "the transaction is not where the upstreams say in the agreed block " + Quantity.format(block)));
            }
            quarantined.add(liar);
            reads.quarantine(liar, method + " placed " + hash + " at index " + index + " of block "
                    + Quantity.format(block) + ", which the agreed header contradicts");
            return locate();
        }
        return prove(reads.order(block), 0, header, block, index, new ArrayList<>());
    }

    /** Asks {@code order.get(at)} for the block's list; on a wrong list, quarantines it and asks the next. */
    private CompletableFuture<RpcOutcome> prove(List<ChainUpstream> order, int at, JsonNode header, long block,
                                                int index, List<String> failures) {
        if (at == order.size() || reads.chain().ticker().nanos() >= deadline) {
            boolean lies = failures.stream().anyMatch(f -> f.contains("wrong"));
            return CompletableFuture.completedFuture(error(lies ? OutlastError.PROOF_INVALID
                    : OutlastError.PROOF_UNAVAILABLE, "no upstream gave the block's list matching its header: "
                    + String.join("; ", failures)));
        }
        ChainUpstream u = order.get(at);
        return fetch(u, header, block).handle((list, e) -> {
            if (e != null || list == null) {
                failures.add(u.name() + ": " + (e != null ? e.getMessage() : "no list"));
                return null;
            }
            try {
                return new RpcOutcome(RpcResponse.result(verify(list, header, index)), List.of(u.name()), null, "ok",
                        "proof");
            } catch (ProofException notMine) {
                if (notMine.reason() != ProofException.Reason.UNSUPPORTED) {
                    return wrong(u, block, notMine, failures);
                }
                unsupported = true;
                return error(OutlastError.PROOF_UNAVAILABLE, "block " + Quantity.format(block)
                        + " cannot be checked: " + notMine.getMessage());
            } catch (IllegalArgumentException | ArithmeticException wrong) {
                return wrong(u, block, wrong, failures);
            }
        }).thenCompose(served -> served != null ? CompletableFuture.completedFuture(served)
                : prove(order, at + 1, header, block, index, failures));
    }

    /** Quarantines {@code u}, whose list did not verify; null: ask the next. */
    private RpcOutcome wrong(ChainUpstream u, long block, RuntimeException wrong, List<String> failures) {
        String why = method + " list of block " + Quantity.format(block) + " failed verification: " + wrong.getMessage();
        reads.quarantine(u.name(), why);
        failures.add(u.name() + ": wrong: " + wrong.getMessage());
        return null;
    }

    private JsonNode verify(List<JsonNode> list, JsonNode header, int index) {
        String blockHash = header.path("hash").asText();
        if (index >= list.size()) {
            throw new ProofException(ProofException.Reason.INCOMPLETE, "no element " + index);
        }
        JsonNode element = list.get(index);
        if (method.equals(RECEIPT)) {
            Receipts.verify(bytes(header, "receiptsRoot"), list);
            Receipts.checkDerived(list, index, blockHash);
            if (!hash.equalsIgnoreCase(element.path("transactionHash").asText())) {
                throw new ProofException(ProofException.Reason.VALUE_MISMATCH, "receipt " + index + " is of "
                        + element.path("transactionHash").asText());
            }
            return element;
        }
        Transactions.verify(bytes(header, "transactionsRoot"), list);
        String sender = Transactions.sender(element);
        if (!hash.equalsIgnoreCase(element.path("hash").asText())
                || !sender.equalsIgnoreCase(element.path("from").asText())
                || !blockHash.equalsIgnoreCase(element.path("blockHash").asText())) {
            throw new ProofException(ProofException.Reason.VALUE_MISMATCH, "transaction " + index
                    + " is not the one asked, its signer " + sender + " or its block " + blockHash);
        }
        return element;
    }

    /** The block's receipts or full transactions from {@code u}, in block order; null when it has none to give. */
    private CompletableFuture<List<JsonNode>> fetch(ChainUpstream u, JsonNode header, long block) {
        Duration timeout = Duration.ofNanos(Math.max(1, deadline - reads.chain().ticker().nanos()));
        String number = Quantity.format(block);
        if (!method.equals(RECEIPT)) {
            return call(u, "eth_getBlockByNumber", JsonNodeFactory.instance.arrayNode().add(number).add(true), timeout)
                    .thenApply(result -> result == null ? null : list(result.path("transactions")));
        }
        CompletableFuture<JsonNode> whole = support.servesBlockReceipts(u.name())
                ? u.upstream().call("eth_getBlockReceipts", JsonNodeFactory.instance.arrayNode().add(number), timeout)
                        .thenApply(reply -> blockReceipts(u, reply))
                : CompletableFuture.completedFuture(null);
        return whole.thenCompose(array -> {
            if (array != null) {
                return CompletableFuture.completedFuture(list(array));
            }
            List<CompletableFuture<JsonNode>> each = new ArrayList<>();
            for (JsonNode tx : header.path("transactions")) {
                String h = tx.isObject() ? tx.path("hash").asText() : tx.asText();
                each.add(call(u, RECEIPT, JsonNodeFactory.instance.arrayNode().add(h), timeout));
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<JsonNode> receipts = new ArrayList<>(each.size());
                for (CompletableFuture<JsonNode> r : each) {
                    if (r.join() == null || !r.join().isObject()) {
                        return null;
                    }
                    receipts.add(r.join());
                }
                return receipts;
            });
        });
    }

    /** The {@code eth_getBlockReceipts} array, or null; an upstream without the method is not asked again. */
    private JsonNode blockReceipts(ChainUpstream u, UpstreamReply reply) {
        if (reply.error() != null && ProofSupport.unsupported(reply.error())) {
            support.noBlockReceipts(u.name());
            return null;
        }
        reads.chain().record(u, "eth_getBlockReceipts", reply);
        return reply.isAnswer() && reply.error() == null && reply.result() != null && reply.result().isArray()
                ? reply.result() : null;
    }

    private CompletableFuture<JsonNode> call(ChainUpstream u, String m, ArrayNode params, Duration timeout) {
        return u.upstream().call(m, params, timeout).thenApply(reply -> {
            reads.chain().record(u, m, reply);
            return reply.isAnswer() && reply.error() == null ? reply.result() : null;
        });
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static byte[] bytes(JsonNode header, String field) {
        return Numeric.hexStringToByteArray(header.path(field).asText());
    }

    private RpcOutcome error(OutlastError error, String why) {
        ObjectNode node = RpcErrors.of(error, "No verified answer for " + method + ": " + why);
        RpcErrors.data(node).put("chain", reads.chain().id()).put("transaction", hash);
        return new RpcOutcome(RpcResponse.error(node), List.of(), null, error.reason());
    }
}
