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
 * fields the signer signed. EIP-4844 blob transactions (type 3) add {@code maxFeePerBlobGas} and
 * {@code blobVersionedHashes} after the access list, EIP-7702 set-code transactions (type 4) an
 * {@code authorizationList} of {@code [chainId, address, nonce, yParity, r, s]}. Another type is
 * {@link ProofException.Reason#UNSUPPORTED}: not wrong, just not checkable here. The sender is
 * recovered from the signature over the encoding without the signature (EIP-155 for legacy
 * transactions with a chain id).
 *
 * <p>Thread-safe: stateless.
 */
public final class Transactions {

    private Transactions() {}

    /** The signed encoding of one transaction. */
    public static byte[] encode(JsonNode tx) {
        int type = type(tx);
        List<RlpType> fields = unsigned(tx, type);
        if (type == 0) {
            add(fields, tx, "v", "r", "s");
        } else {
            add(fields, tx, tx.hasNonNull("yParity") ? "yParity" : "v");
            add(fields, tx, "r", "s");
        }
        return typed(type, RlpEncoder.encode(new RlpList(fields)));
    }

    private static int type(JsonNode tx) {
        return tx.get("type") == null || tx.get("type").isNull() ? 0
                : HexData.quantity("type", Receipts.text(tx, "type")).intValueExact();
    }

    /** The fields before the signature, in the order of the transaction's type. */
    private static List<RlpType> unsigned(JsonNode tx, int type) {
        List<RlpType> fields = new ArrayList<>(14);
        switch (type) {
            case 0 -> {
                add(fields, tx, "nonce", "gasPrice", "gas");
                fields.add(to(tx));
                add(fields, tx, "value");
                fields.add(data(tx, "input"));
            }
            case 1, 2, 3, 4 -> {
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
                if (type == 3) {
                    add(fields, tx, "maxFeePerBlobGas");
                    List<RlpType> hashes = new ArrayList<>();
                    for (JsonNode h : tx.path("blobVersionedHashes")) {
                        hashes.add(RlpString.create(HexData.bytes("blobVersionedHashes", h.asText(null))));
                    }
                    fields.add(new RlpList(hashes));
                } else if (type == 4) {
                    List<RlpType> authorizations = new ArrayList<>();
                    for (JsonNode a : tx.path("authorizationList")) {
                        List<RlpType> auth = new ArrayList<>();
                        add(auth, a, "chainId");
                        auth.add(RlpString.create(HexData.bytes("authorizationList.address", Receipts.text(a, "address"))));
                        add(auth, a, "nonce", "yParity", "r", "s");
                        authorizations.add(new RlpList(auth));
                    }
                    fields.add(new RlpList(authorizations));
                }
            }
            default -> throw new ProofException(ProofException.Reason.UNSUPPORTED,
                    "transaction type 0x" + Integer.toHexString(type) + " (known: 0x0 to 0x4)");
        }
        return fields;
    }

    /**
     * The address that signed {@code tx}, recovered from its signature over its encoding: what its
     * {@code from} must be (a field the hash does not cover).
     *
     * @throws ProofException {@link ProofException.Reason#MALFORMED} when no signer can be recovered
     */
    public static String sender(JsonNode tx) {
        int type = type(tx);
        List<RlpType> fields = unsigned(tx, type);
        java.math.BigInteger recovery;
        if (type == 0) {
            java.math.BigInteger v = HexData.quantity("v", Receipts.text(tx, "v"));
            if (v.compareTo(java.math.BigInteger.valueOf(35)) >= 0) {
                java.math.BigInteger[] chainAndId = v.subtract(java.math.BigInteger.valueOf(35))
                        .divideAndRemainder(java.math.BigInteger.TWO);
                fields.add(RlpString.create(HexData.minimal(chainAndId[0])));
                fields.add(RlpString.create(new byte[0]));
                fields.add(RlpString.create(new byte[0]));
                recovery = chainAndId[1];
            } else {
                recovery = v.subtract(java.math.BigInteger.valueOf(27));
            }
        } else {
            recovery = HexData.quantity("yParity", Receipts.text(tx, tx.hasNonNull("yParity") ? "yParity" : "v"));
        }
        if (recovery.signum() < 0 || recovery.compareTo(java.math.BigInteger.ONE) > 0) {
            throw new ProofException(ProofException.Reason.MALFORMED, "transaction recovery id " + recovery);
        }
        byte[] signingHash = Hash.sha3(typed(type, RlpEncoder.encode(new RlpList(fields))));
        try {
            org.web3j.crypto.Sign.SignatureData signature = new org.web3j.crypto.Sign.SignatureData(
                    (byte) (27 + recovery.intValue()),
                    org.web3j.utils.Numeric.toBytesPadded(HexData.quantity("r", Receipts.text(tx, "r")), 32),
                    org.web3j.utils.Numeric.toBytesPadded(HexData.quantity("s", Receipts.text(tx, "s")), 32));
            java.math.BigInteger key = org.web3j.crypto.Sign.signedMessageHashToKey(signingHash, signature);
            return "0x" + org.web3j.crypto.Keys.getAddress(key);
        } catch (java.security.SignatureException | RuntimeException e) {
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
