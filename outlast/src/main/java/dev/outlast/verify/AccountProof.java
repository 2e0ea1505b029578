package dev.outlast.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/**
 * Verifies an {@code eth_getProof} response against a state root the caller already trusts (for
 * example from a header whose hash {@link BlockHeader#hash} recomputed).
 *
 * <p>Implementation note. The account is the value at {@code keccak(address)} in the state trie,
 * RLP {@code [nonce, balance, storageRoot, codeHash]}; each storage slot is the value at
 * {@code keccak(pad32(slot))} in the account's storage trie, RLP of the value's minimal big-endian
 * bytes. Every value the provider claims in the JSON ({@code nonce}, {@code balance},
 * {@code codeHash}, {@code storageHash}, each slot's {@code value}) must equal the proven one; a
 * difference is {@link ProofException.Reason#VALUE_MISMATCH}, never silently corrected. Storage
 * proofs are checked against the <em>proven</em> storage root, so an absent account can only have
 * empty slots. A proof of absence is an ordinary outcome: it proves nonce 0 and balance 0, which is
 * why a provider claiming zero for a funded account is caught by the proof, not by trusting it.
 *
 * <p>Deliberately not done: the caller compares {@link VerifiedAccount#address()} with the address
 * it asked for, and decides which state root (which block) it trusts; code itself is not fetched.
 *
 * <p>Thread-safe: stateless.
 */
public final class AccountProof {

    /** {@code keccak("")}: the code hash of an account without code. */
    public static final byte[] EMPTY_CODE_HASH = Hash.sha3(new byte[0]);

    private AccountProof() {}

    /**
     * Verifies the account and every storage slot in {@code response} (the {@code result} object
     * of {@code eth_getProof}) against {@code stateRoot}.
     *
     * @throws ProofException naming the account or slot that failed
     * @throws IllegalArgumentException when the JSON lacks a field or holds malformed hex
     */
    public static VerifiedAccount verify(byte[] stateRoot, JsonNode response) {
        byte[] address = HexData.bytes("address", text(response, "address"));
        if (address.length != 20) {
            throw new IllegalArgumentException("address: " + address.length + " bytes (expected: 20)");
        }
        String who = "account " + HexData.hex(address);
        Optional<byte[]> leaf;
        try {
            leaf = MerkleProof.verify(stateRoot, address, nodes(response.get("accountProof"), "accountProof"));
        } catch (ProofException e) {
            throw e.within(who);
        }
        BigInteger nonce = BigInteger.ZERO;
        BigInteger balance = BigInteger.ZERO;
        byte[] storageRoot = MerkleProof.EMPTY_TRIE_ROOT;
        byte[] codeHash = EMPTY_CODE_HASH;
        if (leaf.isPresent()) {
            List<RlpType> fields = accountFields(leaf.get(), who);
            nonce = integer(fields.get(0), who + " nonce");
            balance = integer(fields.get(1), who + " balance");
            storageRoot = hash32(fields.get(2), who + " storageRoot");
            codeHash = hash32(fields.get(3), who + " codeHash");
        }
        expect(who + " nonce", nonce, HexData.quantity("nonce", text(response, "nonce")));
        expect(who + " balance", balance, HexData.quantity("balance", text(response, "balance")));
        expectBytes(who + " codeHash", codeHash, HexData.bytes("codeHash", text(response, "codeHash")));
        expectBytes(who + " storageHash", storageRoot, HexData.bytes("storageHash", text(response, "storageHash")));

        Map<BigInteger, BigInteger> storage = new LinkedHashMap<>();
        JsonNode slots = response.get("storageProof");
        if (slots != null && !slots.isNull()) {
            if (!slots.isArray()) {
                throw new IllegalArgumentException("storageProof: " + slots.getNodeType() + " (expected: array)");
            }
            for (int i = 0; i < slots.size(); i++) {
                JsonNode slot = slots.get(i);
                String field = "storageProof[" + i + "]";
                BigInteger key = HexData.quantity(field + ".key", text(slot, "key"));
                String what = who + " slot " + HexData.hex(pad32(key, field + ".key"));
                BigInteger value = slotValue(storageRoot, key, nodes(slot.get("proof"), field + ".proof"), what);
                expect(what, value, HexData.quantity(field + ".value", text(slot, "value")));
                storage.put(key, value);
            }
        }
        return new VerifiedAccount(address, nonce, balance, codeHash, storageRoot, leaf.isPresent(), storage);
    }

    private static BigInteger slotValue(byte[] storageRoot, BigInteger key, List<byte[]> proof, String what) {
        Optional<byte[]> leaf;
        try {
            leaf = MerkleProof.verify(storageRoot, pad32(key, what), proof);
        } catch (ProofException e) {
            throw e.within(what);
        }
        if (leaf.isEmpty()) {
            return BigInteger.ZERO;
        }
        RlpType item = StrictRlp.decode(leaf.get(), what + " value");
        BigInteger value = integer(item, what + " value");
        if (value.signum() == 0) {
            throw new ProofException(ProofException.Reason.MALFORMED, what + " stores zero (expected: slot deleted)");
        }
        return value;
    }

    private static List<RlpType> accountFields(byte[] leaf, String who) {
        RlpType item = StrictRlp.decode(leaf, who);
        if (!(item instanceof RlpList list) || list.getValues().size() != 4) {
            throw new ProofException(ProofException.Reason.MALFORMED,
                    who + " is not [nonce, balance, storageRoot, codeHash]");
        }
        return list.getValues();
    }

    private static BigInteger integer(RlpType item, String what) {
        if (!(item instanceof RlpString s) || s.getBytes().length > 32) {
            throw new ProofException(ProofException.Reason.MALFORMED, what + " is not a 256-bit integer");
        }
        byte[] b = s.getBytes();
        if (b.length > 0 && b[0] == 0) {
            throw new ProofException(ProofException.Reason.MALFORMED, what + " has leading zero bytes");
        }
        return new BigInteger(1, b);
    }

    private static byte[] hash32(RlpType item, String what) {
        if (!(item instanceof RlpString s) || s.getBytes().length != 32) {
            throw new ProofException(ProofException.Reason.MALFORMED, what + " is not a 32-byte hash");
        }
        return s.getBytes();
    }

    private static void expect(String what, BigInteger proven, BigInteger claimed) {
        if (!proven.equals(claimed)) {
            throw new ProofException(ProofException.Reason.VALUE_MISMATCH,
                    what + " claimed 0x" + claimed.toString(16) + ", proof says 0x" + proven.toString(16));
        }
    }

    private static void expectBytes(String what, byte[] proven, byte[] claimed) {
        if (!Arrays.equals(proven, claimed)) {
            throw new ProofException(ProofException.Reason.VALUE_MISMATCH,
                    what + " claimed " + HexData.hex(claimed) + ", proof says " + HexData.hex(proven));
        }
    }

    private static byte[] pad32(BigInteger slot, String what) {
        byte[] minimal = HexData.minimal(slot);
        if (minimal.length > 32) {
            throw new IllegalArgumentException(what + ": more than 32 bytes (expected: storage slot)");
        }
        byte[] padded = new byte[32];
        System.arraycopy(minimal, 0, padded, 32 - minimal.length, minimal.length);
        return padded;
    }

    private static List<byte[]> nodes(JsonNode array, String field) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(field + ": " + (array == null ? "missing" : array.getNodeType())
                    + " (expected: array of hex data)");
        }
        List<byte[]> nodes = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            nodes.add(HexData.bytes(field + "[" + i + "]", array.get(i).asText(null)));
        }
        return nodes;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + ": " + (value == null ? "missing" : value.toString())
                    + " (expected: hex string)");
        }
        return value.asText();
    }
}
