package dev.outlast.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

class MerkleProofTest {

    private static final JsonNode CONTRACT = Fixtures.load("proof-contract.json");
    private static final byte[] STORAGE_ROOT = Fixtures.bytes(CONTRACT.get("storageHash").asText());

    private static byte[] slot(int n) {
        byte[] key = new byte[32];
        key[31] = (byte) n;
        return key;
    }

    private static List<byte[]> storageProof(int index) {
        return Fixtures.nodes(CONTRACT.get("storageProof").get(index).get("proof"));
    }

    @Test
    void returnsStoredValueFromRecordedStorageProof() {
        Optional<byte[]> value = MerkleProof.verify(STORAGE_ROOT, slot(1), storageProof(1));

        assertThat(value).hasValueSatisfying(v -> assertThat(v).containsExactly(0x02));
    }

    @Test
    void emptyBranchSlotProvesAbsence() {
        assertThat(MerkleProof.verify(STORAGE_ROOT, slot(5), storageProof(2))).isEmpty();
    }

    @Test
    void leafWithDivergingPathProvesAbsence() {
        JsonNode absent = Fixtures.load("proof-absent-account.json");
        byte[] address = Fixtures.bytes(absent.get("address").asText());

        assertThat(MerkleProof.verify(Fixtures.stateRoot(), address, Fixtures.nodes(absent.get("accountProof"))))
                .isEmpty();
    }

    @Test
    void emptyTrieWithEmptyProofProvesAbsence() {
        assertThat(MerkleProof.verify(MerkleProof.EMPTY_TRIE_ROOT, slot(0), List.of())).isEmpty();
    }

    @Test
    void refusesEmptyProofForNonEmptyTrie() {
        assertThatThrownBy(() -> MerkleProof.verify(STORAGE_ROOT, slot(0), List.of()))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.INCOMPLETE));
    }

    @Test
    void refusesNodeWithFlippedByte() {
        List<byte[]> proof = storageProof(0);
        proof.get(1)[5] ^= 0x01;

        assertThatThrownBy(() -> MerkleProof.verify(STORAGE_ROOT, slot(0), proof))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.HASH_MISMATCH))
                .hasMessageContaining("proof node 1");
    }

    @Test
    void refusesProofWithLastNodeRemoved() {
        List<byte[]> proof = storageProof(0).subList(0, 1);

        assertThatThrownBy(() -> MerkleProof.verify(STORAGE_ROOT, slot(0), proof))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.INCOMPLETE));
    }

    @Test
    void refusesProofWithNodesAfterTheSettlingOne() {
        List<byte[]> proof = new ArrayList<>(storageProof(2));
        proof.add(storageProof(0).get(1));

        assertThatThrownBy(() -> MerkleProof.verify(STORAGE_ROOT, slot(5), proof))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.UNUSED_NODES));
    }

    @Test
    void refusesWrongRoot() {
        assertThatThrownBy(() -> MerkleProof.verify(Fixtures.stateRoot(), slot(0), storageProof(0)))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.HASH_MISMATCH))
                .hasMessageContaining("proof node 0");
    }

    @Test
    void refusesProofForAnotherKey() {
        assertThatThrownBy(() -> MerkleProof.verify(STORAGE_ROOT, slot(0), storageProof(1)))
                .isInstanceOf(ProofException.class);
    }

    @Test
    void refusesMalformedRlpEvenWhenItsHashMatches() {
        byte[] truncatedList = {(byte) 0xc3, (byte) 0x80};

        assertThatThrownBy(() -> MerkleProof.verify(Hash.sha3(truncatedList), slot(0), List.of(truncatedList)))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.MALFORMED));
    }

    @Test
    void refusesNodeWithInvalidHexPrefixFlag() {
        byte[] node = RlpEncoder.encode(new RlpList(RlpString.create(new byte[] {0x40}), RlpString.create(new byte[] {1})));

        assertThatThrownBy(() -> MerkleProof.verify(Hash.sha3(node), slot(0), List.of(node)))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.MALFORMED))
                .hasMessageContaining("path flag 4");
    }

    /**
     * A root extension over the first 62 nibbles of the path, then a branch and a leaf that are both
     * under 32 bytes and therefore embedded in their parent instead of referenced by hash.
     */
    @Test
    void followsEmbeddedNodesInline() {
        byte[] key = slot(7);
        byte[] path = HexPrefix.toNibbles(Hash.sha3(key));
        RlpList leaf = new RlpList(RlpString.create(new byte[] {(byte) (0x30 | path[63])}),
                RlpString.create(new byte[] {0x2a}));
        List<RlpType> slots = new ArrayList<>(Collections.nCopies(17, (RlpType) RlpString.create(new byte[0])));
        slots.set(path[62], leaf);
        RlpList branch = new RlpList(slots);
        byte[] extensionPath = new byte[32];
        for (int i = 0; i < 31; i++) {
            extensionPath[i + 1] = (byte) (path[2 * i] << 4 | path[2 * i + 1]);
        }
        byte[] root = RlpEncoder.encode(new RlpList(RlpString.create(extensionPath), branch));
        assertThat(RlpEncoder.encode(branch)).hasSizeLessThan(32);

        assertThat(MerkleProof.verify(Hash.sha3(root), key, List.of(root)))
                .hasValueSatisfying(v -> assertThat(v).containsExactly(0x2a));
        assertThat(MerkleProof.verify(Hash.sha3(root), slot(8), List.of(root))).isEmpty();
    }
}
