package dev.outlast.verify;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/**
 * Verifies a Merkle-Patricia proof of the "secure" tries Ethereum uses for accounts and storage,
 * as returned by {@code eth_getProof}: the key is looked up under the nibble path of
 * {@code keccak(key)}.
 *
 * <p>Implementation note. The walk starts with the root hash as the current reference and the
 * whole nibble path ahead. A reference is either a 32-byte hash, which consumes the next proof node
 * and requires {@code keccak(node)} to equal it, or an embedded node (a child whose RLP is shorter
 * than 32 bytes is stored inline in its parent), which consumes no proof node. At each node:
 * <ul>
 *   <li>branch (17 items): follow the slot of the next nibble; an empty slot proves absence;
 *   <li>extension (2 items, even flag): if its path is a prefix of what remains, follow its child,
 *       otherwise the paths diverge and the key is absent;
 *   <li>leaf (2 items, odd flag): equal remaining path gives the value, any other path proves
 *       absence (only one leaf can live where the walk ended).
 * </ul>
 * Invariants: every byte that decides the outcome is bound to the root by a hash chain; nodes are
 * decoded strictly (canonical RLP, valid hex-prefix flags, hash references of exactly 32 bytes,
 * embedded nodes really shorter than 32 bytes); a proof must end at the node that settles the key,
 * so trailing nodes are refused rather than ignored. The root is always referenced by hash, and the
 * empty trie ({@link #EMPTY_TRIE_ROOT}) proves every key absent with an empty proof.
 *
 * <p>Deliberately not done: no trie is built, no proof node is looked up by hash out of order (the
 * proof must be the path, root first, as {@code eth_getProof} returns it), and the value is returned
 * as stored (its RLP encoding) for the caller to interpret.
 *
 * <p>Thread-safe: stateless.
 */
public final class MerkleProof {

    /** {@code keccak(rlp(""))}: the root of a trie with no keys. */
    public static final byte[] EMPTY_TRIE_ROOT = Hash.sha3(new byte[] {(byte) 0x80});

    private MerkleProof() {}

    /**
     * Returns the value stored under {@code keccak(key)} in the trie with root {@code rootHash}, or
     * empty when the proof shows that no value is stored there.
     *
     * @throws ProofException when the proof does not establish either outcome
     */
    public static Optional<byte[]> verify(byte[] rootHash, byte[] key, List<byte[]> proofNodes) {
        if (rootHash.length != 32) {
            throw new IllegalArgumentException("rootHash: " + rootHash.length + " bytes (expected: 32)");
        }
        byte[] path = HexPrefix.toNibbles(Hash.sha3(key));
        int depth = 0;
        int used = 0;
        byte[] hashRef = rootHash;
        RlpType node = null;
        while (true) {
            if (hashRef != null) {
                if (used == proofNodes.size()) {
                    if (used == 0 && Arrays.equals(rootHash, EMPTY_TRIE_ROOT)) {
                        return Optional.empty();
                    }
                    throw new ProofException(ProofException.Reason.INCOMPLETE,
                            "proof ends after " + used + " nodes at nibble " + depth);
                }
                byte[] encoded = proofNodes.get(used);
                if (!Arrays.equals(Hash.sha3(encoded), hashRef)) {
                    throw new ProofException(ProofException.Reason.HASH_MISMATCH,
                            "proof node " + used + " does not hash to " + HexData.hex(hashRef));
                }
                node = StrictRlp.decode(encoded, "proof node " + used);
                used++;
                if (node instanceof RlpString s && s.getBytes().length == 0 && used == 1) {
                    return settled(Optional.empty(), used, proofNodes);
                }
            }
            String where = "node at nibble " + depth;
            if (!(node instanceof RlpList list)) {
                throw new ProofException(ProofException.Reason.MALFORMED, where + " is not a list");
            }
            List<RlpType> items = list.getValues();
            if (items.size() == 17) {
                if (depth == path.length) {
                    byte[] value = bytes(items.get(16), where + " value");
                    return settled(value.length == 0 ? Optional.empty() : Optional.of(value), used, proofNodes);
                }
                RlpType child = items.get(path[depth]);
                if (child instanceof RlpString s && s.getBytes().length == 0) {
                    return settled(Optional.empty(), used, proofNodes);
                }
                depth++;
                hashRef = reference(child, where);
                node = child;
            } else if (items.size() == 2) {
                HexPrefix prefix = HexPrefix.decode(bytes(items.get(0), where + " path"), where);
                byte[] part = prefix.nibbles();
                boolean matches = depth + part.length <= path.length
                        && Arrays.equals(part, 0, part.length, path, depth, depth + part.length);
                if (prefix.leaf()) {
                    byte[] value = bytes(items.get(1), where + " value");
                    if (value.length == 0) {
                        throw new ProofException(ProofException.Reason.MALFORMED, where + " is a leaf without value");
                    }
                    boolean exact = matches && depth + part.length == path.length;
                    return settled(exact ? Optional.of(value) : Optional.empty(), used, proofNodes);
                }
                if (part.length == 0) {
                    throw new ProofException(ProofException.Reason.MALFORMED, where + " is an extension with an empty path");
                }
                if (!matches) {
                    return settled(Optional.empty(), used, proofNodes);
                }
                depth += part.length;
                RlpType child = items.get(1);
                if (child instanceof RlpString s && s.getBytes().length == 0) {
                    throw new ProofException(ProofException.Reason.MALFORMED, where + " is an extension without child");
                }
                hashRef = reference(child, where);
                node = child;
            } else {
                throw new ProofException(ProofException.Reason.MALFORMED,
                        where + " has " + items.size() + " items (expected: 2 or 17)");
            }
        }
    }

    /** The hash a child reference names, or null when the child is embedded in its parent. */
    private static byte[] reference(RlpType child, String where) {
        if (child instanceof RlpString s) {
            if (s.getBytes().length != 32) {
                throw new ProofException(ProofException.Reason.MALFORMED,
                        where + " references a child by " + s.getBytes().length + " bytes (expected: 32-byte hash)");
            }
            return s.getBytes();
        }
        if (RlpEncoder.encode(child).length >= 32) {
            throw new ProofException(ProofException.Reason.MALFORMED,
                    where + " embeds a child of 32 bytes or more (expected: hash reference)");
        }
        return null;
    }

    private static byte[] bytes(RlpType item, String what) {
        if (item instanceof RlpString s) {
            return s.getBytes();
        }
        throw new ProofException(ProofException.Reason.MALFORMED, what + " is a list (expected: string)");
    }

    private static Optional<byte[]> settled(Optional<byte[]> outcome, int used, List<byte[]> proofNodes) {
        if (used != proofNodes.size()) {
            throw new ProofException(ProofException.Reason.UNUSED_NODES,
                    (proofNodes.size() - used) + " proof nodes after the one that settles the key");
        }
        return outcome;
    }
}
