package dev.outlast.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/**
 * Re-encodes transactions from their JSON ({@code eth_getTransactionByHash}, or the full
 * transactions of {@code eth_getBlockByNumber(n, true)}) so that their hashes and a block's
 * {@code transactionsRoot} can be checked.
 *
 * <p>Implementation note. The signed encodings: legacy {@code rlp([nonce, gasPrice, gas, to, value,
 * input, v, r, s])}; EIP-2930 {@code 0x01 || rlp([chainId, nonce, gasPrice, gas, to, value, input,
 * accessList, yParity, r, s])}; EIP-1559 {@code 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas,
 * maxFeePerGas, gas, to, value, input, accessList, yParity, r, s])}. A contract creation has an
 * empty {@code to}; {@code r} and {@code s} are integers (minimal bytes). The hash is the keccak of
 * the encoding, so a transaction whose encoding hashes to the asked hash has exactly the signed
 * fields the signer signed. Blob (type 3) and set-code (type 4) transactions are refused as
 * unknown: ganache does not produce them and their extra fields are not encoded here.
 *
 * <p>Thread-safe: stateless.
 */
public final class Transactions {

    private Transactions() {}

    /** The signed encoding of one transaction. */
    public static byte[] encode(JsonNode tx) {
        int type = tx.get("type") == null || tx.get("type").isNull() ? 0
                : HexData.quantity("type", Receipts.text(tx, "type")).intValueExact();
        List<RlpType> fields = new ArrayList<>(12);
        switch (type) {
            case 0 -> {
                add(fields, tx, "nonce", "gasPrice", "gas");
                fields.add(to(tx));
                add(fields, tx, "value");
                fields.add(data(tx, "input"));
                add(fields, tx, "v", "r", "s");
            }
            case 1, 2 -> {
                add(fields, tx, "chainId", "nonce");
                if (type == 1) {
                    add(fields, tx, "gasPrice");
                } else {
                    add(fields, tx, "maxPriorityFeePerGas", "maxFeePerGas");
                }
                add(fields, tx, "gas");
                fields.add(to(tx));
                add(fields, tx, "value");
                fields.add(data(tx, "input"));
                fields.add(accessList(tx.get("accessList")));
                add(fields, tx, tx.hasNonNull("yParity") ? "yParity" : "v");
                add(fields, tx, "r", "s");
            }
            default -> throw new IllegalArgumentException("type: " + type + " (expected: 0x0, 0x1 or 0x2)");
        }
        return typed(type, RlpEncoder.encode(new RlpList(fields)));
    }

    /**
     * The address that signed {@code tx}, recovered from its signature over its encoding: what its
     * {@code from} must be (a field the hash does not cover).
     *
     * @throws ProofException {@link ProofException.Reason#MALFORMED} when no signer can be recovered
     */
    public static String sender(JsonNode tx) {
        try {
            org.web3j.crypto.RawTransaction raw = org.web3j.crypto.TransactionDecoder.decode(
                    org.web3j.utils.Numeric.toHexString(encode(tx)));
            if (!(raw instanceof org.web3j.crypto.SignedRawTransaction signed)) {
                throw new ProofException(ProofException.Reason.MALFORMED, "transaction is not signed");
            }
            return signed.getFrom().toLowerCase(java.util.Locale.ROOT);
        } catch (java.security.SignatureException | RuntimeException e) {
            if (e instanceof ProofException p) {
                throw p;
            }
            throw new ProofException(ProofException.Reason.MALFORMED, "no signer can be recovered: " + e.getMessage());
        }
    }

    /** {@code keccak(encode(tx))}: what the transaction's hash must be. */
    public static byte[] hash(JsonNode tx) {
        return Hash.sha3(encode(tx));
    }

    /**
     * Checks each transaction's {@code hash} against its encoding, and the list (block order)
     * against {@code transactionsRoot}.
     *
     * @throws ProofException naming the transaction or the root that does not match
     */
    public static void verify(byte[] transactionsRoot, List<JsonNode> txs) {
        List<byte[]> encoded = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            byte[] e = encode(txs.get(i));
            byte[] claimed = HexData.bytes("hash", Receipts.text(txs.get(i), "hash"));
            if (!Arrays.equals(Hash.sha3(e), claimed)) {
                throw new ProofException(ProofException.Reason.VALUE_MISMATCH, "transaction " + i + " does not hash to "
                        + HexData.hex(claimed));
            }
            encoded.add(e);
        }
        byte[] root = TrieRoot.ofList(encoded);
        if (!Arrays.equals(root, transactionsRoot)) {
            throw new ProofException(ProofException.Reason.HASH_MISMATCH, "the " + txs.size()
                    + " transactions rebuild root " + HexData.hex(root) + ", the header says "
                    + HexData.hex(transactionsRoot));
        }
    }

    static byte[] typed(int type, byte[] rlp) {
        if (type == 0) {
            return rlp;
        }
        byte[] out = new byte[rlp.length + 1];
        out[0] = (byte) type;
        System.arraycopy(rlp, 0, out, 1, rlp.length);
        return out;
    }

    private static void add(List<RlpType> fields, JsonNode tx, String... names) {
        for (String name : names) {
            fields.add(RlpString.create(HexData.minimal(HexData.quantity(name, Receipts.text(tx, name)))));
        }
    }

    private static RlpType to(JsonNode tx) {
        JsonNode to = tx.get("to");
        return to == null || to.isNull() ? RlpString.create(new byte[0]) : RlpString.create(HexData.bytes("to", to.asText()));
    }

    private static RlpType data(JsonNode tx, String field) {
        return RlpString.create(HexData.bytes(field, Receipts.text(tx, field)));
    }

    private static RlpType accessList(JsonNode list) {
        List<RlpType> entries = new ArrayList<>();
        if (list != null && !list.isNull()) {
            for (JsonNode entry : list) {
                List<RlpType> keys = new ArrayList<>();
                for (JsonNode key : entry.path("storageKeys")) {
                    keys.add(RlpString.create(HexData.bytes("storageKeys", key.asText(null))));
                }
                entries.add(new RlpList(RlpString.create(HexData.bytes("accessList.address",
                        Receipts.text(entry, "address"))), new RlpList(keys)));
            }
        }
        return new RlpList(entries);
    }
}
