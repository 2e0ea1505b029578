package dev.outlast.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/**
 * Verifies a block's receipts (JSON, as {@code eth_getTransactionReceipt} or
 * {@code eth_getBlockReceipts} return them) against the {@code receiptsRoot} of a header the caller
 * trusts.
 *
 * <p>Implementation note. A receipt's consensus encoding is {@code rlp([status, cumulativeGasUsed,
 * logsBloom, logs])}, each log {@code [address, topics, data]}, prefixed by its type byte for typed
 * receipts (EIP-2718: {@code 0x01}, {@code 0x02}, {@code 0x03}, …; legacy {@code 0x0} has no
 * prefix); pre-Byzantium receipts carry the post-state {@code root} instead of {@code status}. The
 * list, in block order ({@code transactionIndex} 0, 1, …), is put in a trie under {@code rlp(index)}
 * ({@link TrieRoot}) and the root must equal the trusted one. This proves exactly those fields, in
 * that order; the fields a node derives ({@code gasUsed}, {@code effectiveGasPrice},
 * {@code contractAddress}, {@code from}, {@code to}, log indexes, block hash) are not in the trie,
 * and the caller checks what it can of them (see {@link #checkDerived}).
 *
 * <p>Thread-safe: stateless.
 */
public final class Receipts {

    private Receipts() {}

    /** The consensus encoding of one receipt. */
    public static byte[] encode(JsonNode receipt) {
        int type = type(receipt);
        if (type > 4) {
            // e.g. an OP-stack deposit (0x7e), whose receipt encodes more fields than these
            throw new ProofException(ProofException.Reason.UNSUPPORTED,
                    "receipt type 0x" + Integer.toHexString(type) + " (known: 0x0 to 0x4)");
        }
        List<RlpType> fields = new ArrayList<>(4);
        JsonNode root = receipt.get("root");
        if (root != null && root.isTextual() && (receipt.get("status") == null || receipt.get("status").isNull())) {
            fields.add(RlpString.create(HexData.bytes("root", root.asText())));
        } else {
            fields.add(quantity(receipt, "status"));
        }
        fields.add(quantity(receipt, "cumulativeGasUsed"));
        byte[] bloom = HexData.bytes("logsBloom", text(receipt, "logsBloom"));
        if (bloom.length != 256) {
            throw new IllegalArgumentException("logsBloom: " + bloom.length + " bytes (expected: 256)");
        }
        fields.add(RlpString.create(bloom));
        List<RlpType> logs = new ArrayList<>();
        JsonNode array = receipt.get("logs");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("logs: " + (array == null ? "missing" : array.toString())
                    + " (expected: array)");
        }
        for (JsonNode log : array) {
            List<RlpType> topics = new ArrayList<>();
            for (JsonNode topic : log.path("topics")) {
                topics.add(RlpString.create(HexData.bytes("topic", topic.asText(null))));
            }
            logs.add(new RlpList(RlpString.create(HexData.bytes("log.address", text(log, "address"))),
                    new RlpList(topics), RlpString.create(HexData.bytes("log.data", text(log, "data")))));
        }
        fields.add(new RlpList(logs));
        return Transactions.typed(type, RlpEncoder.encode(new RlpList(fields)));
    }

    /**
     * Checks that {@code receipts} (in block order) are the ones {@code receiptsRoot} commits to.
     *
     * @throws ProofException {@link ProofException.Reason#HASH_MISMATCH} when the rebuilt root differs
     * @throws IllegalArgumentException when a receipt lacks a field or holds malformed hex
     */
    public static void verify(byte[] receiptsRoot, List<JsonNode> receipts) {
        List<byte[]> encoded = new ArrayList<>(receipts.size());
        for (int i = 0; i < receipts.size(); i++) {
            JsonNode receipt = receipts.get(i);
            long index = HexData.quantity("transactionIndex", text(receipt, "transactionIndex")).longValueExact();
            if (index != i) {
                throw new ProofException(ProofException.Reason.MALFORMED,
                        "receipt " + i + " has transactionIndex " + index + " (expected: block order)");
            }
            encoded.add(encode(receipt));
        }
        byte[] root = TrieRoot.ofList(encoded);
        if (!Arrays.equals(root, receiptsRoot)) {
            throw new ProofException(ProofException.Reason.HASH_MISMATCH, "the " + receipts.size()
                    + " receipts rebuild root " + HexData.hex(root) + ", the header says " + HexData.hex(receiptsRoot));
        }
    }

    /**
     * Checks the derived fields of {@code receipts.get(index)} that the proven ones determine:
     * {@code gasUsed} is the difference of cumulative gas, and every log names this receipt's
     * transaction, block hash and index.
     *
     * @throws ProofException {@link ProofException.Reason#VALUE_MISMATCH} naming the field
     */
    public static void checkDerived(List<JsonNode> receipts, int index, String blockHash) {
        JsonNode receipt = receipts.get(index);
        java.math.BigInteger before = index == 0 ? java.math.BigInteger.ZERO
                : HexData.quantity("cumulativeGasUsed", text(receipts.get(index - 1), "cumulativeGasUsed"));
        java.math.BigInteger gasUsed = HexData.quantity("cumulativeGasUsed", text(receipt, "cumulativeGasUsed"))
                .subtract(before);
        if (!gasUsed.equals(HexData.quantity("gasUsed", text(receipt, "gasUsed")))) {
            throw new ProofException(ProofException.Reason.VALUE_MISMATCH, "receipt " + index + " gasUsed claimed "
                    + text(receipt, "gasUsed") + ", cumulative gas says 0x" + gasUsed.toString(16));
        }
        if (!blockHash.equalsIgnoreCase(text(receipt, "blockHash"))) {
            throw new ProofException(ProofException.Reason.VALUE_MISMATCH, "receipt " + index + " blockHash "
                    + text(receipt, "blockHash") + " is not the agreed block " + blockHash);
        }
        String tx = text(receipt, "transactionHash");
        for (JsonNode log : receipt.path("logs")) {
            if (!tx.equalsIgnoreCase(log.path("transactionHash").asText(tx))
                    || !blockHash.equalsIgnoreCase(log.path("blockHash").asText(blockHash))) {
                throw new ProofException(ProofException.Reason.VALUE_MISMATCH,
                        "receipt " + index + " has a log of another transaction or block");
            }
        }
    }

    private static int type(JsonNode receipt) {
        JsonNode type = receipt.get("type");
        return type == null || type.isNull() ? 0 : HexData.quantity("type", type.asText()).intValueExact();
    }

    private static RlpString quantity(JsonNode node, String field) {
        return RlpString.create(HexData.minimal(HexData.quantity(field, text(node, field))));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + ": " + (value == null ? "missing" : value.toString())
                    + " (expected: hex string)");
        }
        return value.asText();
    }
}
