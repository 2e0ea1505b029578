package dev.outlast.verify;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values an account proof established against a state root. An absent account has nonce 0,
 * balance 0, {@link AccountProof#EMPTY_CODE_HASH} and {@link MerkleProof#EMPTY_TRIE_ROOT}; an
 * empty storage slot has value 0. Immutable; byte arrays are copied in and out, and compared by
 * identity in {@code equals}, as records do.
 *
 * @param address the 20-byte address the proof is for, as the response named it
 * @param storage verified value per requested slot, in the order of the response
 */
public record VerifiedAccount(
        byte[] address,
        BigInteger nonce,
        BigInteger balance,
        byte[] codeHash,
        byte[] storageRoot,
        boolean exists,
        Map<BigInteger, BigInteger> storage) {

    public VerifiedAccount {
        address = address.clone();
        codeHash = codeHash.clone();
        storageRoot = storageRoot.clone();
        storage = Collections.unmodifiableMap(new LinkedHashMap<>(storage));
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    @Override
    public byte[] codeHash() {
        return codeHash.clone();
    }

    @Override
    public byte[] storageRoot() {
        return storageRoot.clone();
    }
}
