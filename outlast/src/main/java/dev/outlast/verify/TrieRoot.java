package dev.outlast.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/**
 * The root hash of a Merkle-Patricia trie built from all its entries, as the transactions and
 * receipts roots of a block header are: key {@code rlp(index)}, value the item's consensus
 * encoding. Unlike the state trie, these tries are not "secure": the key is used as it is.
 *
 * <h2>Implementation note</h2>
 * Built recursively over the keys' nibbles, sorted: one entry left is a leaf (hex-prefix of the
 * remaining path, value); entries sharing a common next nibble run are an extension over that run;
 * otherwise a 17-slot branch, with the value of a key that ends exactly here in slot 16. A child
 * whose RLP is shorter than 32 bytes is embedded in its parent, any other is referenced by its
 * keccak; the root is always hashed. No node store and no updates: the whole trie is rebuilt from
 * the list, which is what verifying one block's list needs.
 *
 * <p>Thread-safe: stateless.
 */
public final class TrieRoot {

    private record Entry(byte[] path, byte[] value) {}

    private TrieRoot() {}

    /** The root of the trie mapping {@code rlp(i)} to {@code values.get(i)}. */
    public static byte[] ofList(List<byte[]> values) {
        List<Entry> entries = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            byte[] key = RlpEncoder.encode(RlpString.create(HexData.minimal(java.math.BigInteger.valueOf(i))));
            entries.add(new Entry(HexPrefix.toNibbles(key), values.get(i)));
        }
        entries.sort((a, b) -> Arrays.compare(a.path(), b.path()));
        if (entries.isEmpty()) {
            return MerkleProof.EMPTY_TRIE_ROOT.clone();
        }
        return Hash.sha3(RlpEncoder.encode(node(entries, 0)));
    }

    private static RlpType node(List<Entry> entries, int depth) {
        if (entries.size() == 1) {
            Entry only = entries.get(0);
            return new RlpList(RlpString.create(hexPrefix(only.path(), depth, only.path().length, true)),
                    RlpString.create(only.value()));
        }
        int common = commonPrefix(entries, depth);
        if (common > 0) {
            byte[] path = entries.get(0).path();
            return new RlpList(RlpString.create(hexPrefix(path, depth, depth + common, false)),
                    reference(node(entries, depth + common)));
        }
        RlpType[] slots = new RlpType[17];
        Arrays.fill(slots, RlpString.create(new byte[0]));
        int i = 0;
        if (entries.get(0).path().length == depth) {
            slots[16] = RlpString.create(entries.get(0).value());
            i = 1;
        }
        while (i < entries.size()) {
            int nibble = entries.get(i).path()[depth];
            int j = i;
            while (j < entries.size() && entries.get(j).path()[depth] == nibble) {
                j++;
            }
            slots[nibble] = reference(node(entries.subList(i, j), depth + 1));
            i = j;
        }
        return new RlpList(slots);
    }

    /** Nibbles shared by every path after {@code depth}, stopping before a path that ends. */
    private static int commonPrefix(List<Entry> entries, int depth) {
        byte[] first = entries.get(0).path();
        int common = first.length - depth;
        for (Entry e : entries) {
            byte[] p = e.path();
            int n = 0;
            while (n < common && depth + n < p.length && p[depth + n] == first[depth + n]) {
                n++;
            }
            common = n;
        }
        return common;
    }

    private static RlpType reference(RlpType node) {
        byte[] encoded = RlpEncoder.encode(node);
        return encoded.length < 32 ? node : RlpString.create(Hash.sha3(encoded));
    }

    private static byte[] hexPrefix(byte[] nibbles, int from, int to, boolean leaf) {
        int length = to - from;
        boolean odd = length % 2 == 1;
        byte[] out = new byte[length / 2 + 1];
        int flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
        int n = from;
        if (odd) {
            out[0] = (byte) ((flag << 4) | nibbles[n++]);
        } else {
            out[0] = (byte) (flag << 4);
        }
        for (int i = 1; i < out.length; i++) {
            out[i] = (byte) ((nibbles[n] << 4) | nibbles[n + 1]);
            n += 2;
        }
        return out;
    }
}
