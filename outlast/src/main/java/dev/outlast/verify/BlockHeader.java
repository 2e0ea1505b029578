package dev.outlast.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/**
 * Recomputes a block hash from the header fields of an {@code eth_getBlockByNumber} /
 * {@code eth_getBlockByHash} result, so that a state root can be tied to a block hash the caller
 * trusts (for example one several providers agree on).
 *
 * <p>Implementation note. The hash is {@code keccak(rlp(header))} with the fields in consensus
 * order: the 15 pre-London fields, then each fork's additions in the order they were appended —
 * {@code baseFeePerGas} (London), {@code withdrawalsRoot} (Shanghai), {@code blobGasUsed},
 * {@code excessBlobGas}, {@code parentBeaconBlockRoot} (Cancun), {@code requestsHash} (Prague).
 * Optional fields form a prefix: a later one without an earlier one is refused, since no fork
 * produces such a header. Quantities are minimal big-endian (zero is the empty string); hashes,
 * addresses, bloom, extra data and the 8-byte {@code nonce} are data, encoded as given.
 *
 * <p>Deliberately not done: the returned hash is not compared with the JSON's {@code hash} (the
 * caller decides what it trusts), fields are not checked for plausibility beyond their lengths, and
 * pre-merge proof-of-work is not validated. Fields a future fork appends are not known here: such a
 * header recomputes to a different hash, which fails safe.
 *
 * <p>Thread-safe: stateless.
 */
public final class BlockHeader {

    private enum Kind { HASH, ADDRESS, BLOOM, DATA, NONCE, QUANTITY }

    private record Field(String name, Kind kind) {}

    private static final List<Field> BASE = List.of(
            new Field("parentHash", Kind.HASH),
            new Field("sha3Uncles", Kind.HASH),
            new Field("miner", Kind.ADDRESS),
            new Field("stateRoot", Kind.HASH),
            new Field("transactionsRoot", Kind.HASH),
            new Field("receiptsRoot", Kind.HASH),
            new Field("logsBloom", Kind.BLOOM),
            new Field("difficulty", Kind.QUANTITY),
            new Field("number", Kind.QUANTITY),
            new Field("gasLimit", Kind.QUANTITY),
            new Field("gasUsed", Kind.QUANTITY),
            new Field("timestamp", Kind.QUANTITY),
            new Field("extraData", Kind.DATA),
            new Field("mixHash", Kind.HASH),
            new Field("nonce", Kind.NONCE));

    private static final List<Field> FORK_ADDITIONS = List.of(
            new Field("baseFeePerGas", Kind.QUANTITY),
            new Field("withdrawalsRoot", Kind.HASH),
            new Field("blobGasUsed", Kind.QUANTITY),
            new Field("excessBlobGas", Kind.QUANTITY),
            new Field("parentBeaconBlockRoot", Kind.HASH),
            new Field("requestsHash", Kind.HASH));

    private BlockHeader() {}

    /**
     * Returns {@code keccak(rlp(header))} for the header fields of {@code block}.
     *
     * @throws IllegalArgumentException naming the field that is missing, malformed, of the wrong
     *     length, or present without the fork fields before it
     */
    public static byte[] hash(JsonNode block) {
        return Hash.sha3(encode(block));
    }

    /** The RLP encoding of the header, the preimage of its hash. */
    public static byte[] encode(JsonNode block) {
        List<RlpType> items = new ArrayList<>(BASE.size() + FORK_ADDITIONS.size());
        for (Field field : BASE) {
            items.add(item(block, field));
        }
        String missing = null;
        for (Field field : FORK_ADDITIONS) {
            JsonNode value = block.get(field.name());
            if (value == null || value.isNull()) {
                missing = missing == null ? field.name() : missing;
            } else if (missing != null) {
                throw new IllegalArgumentException(field.name() + ": present without " + missing
                        + " (expected: fork fields in order)");
            } else {
                items.add(item(block, field));
            }
        }
        return RlpEncoder.encode(new RlpList(items));
    }

    private static RlpType item(JsonNode block, Field field) {
        JsonNode node = block.get(field.name());
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException(field.name() + ": " + (node == null ? "missing" : node.toString())
                    + " (expected: hex string)");
        }
        String text = node.asText();
        if (field.kind() == Kind.QUANTITY) {
            return RlpString.create(HexData.minimal(HexData.quantity(field.name(), text)));
        }
        byte[] bytes = HexData.bytes(field.name(), text);
        int expected = switch (field.kind()) {
            case HASH -> 32;
            case ADDRESS -> 20;
            case BLOOM -> 256;
            case NONCE -> 8;
            default -> -1;
        };
        if (expected >= 0 && bytes.length != expected) {
            throw new IllegalArgumentException(field.name() + ": " + bytes.length + " bytes (expected: " + expected + ")");
        }
        return RlpString.create(bytes);
    }
}
