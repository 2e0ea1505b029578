package dev.outlast.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/** Proofs recorded from ganache (see {@code src/test/resources/verify/README.md}) and tampered copies. */
class AccountProofTest {

    private static final byte[] STATE_ROOT = Fixtures.stateRoot();

    private static ProofException.Reason refusal(ObjectNode proof) {
        return refusal(STATE_ROOT, proof);
    }

    private static ProofException.Reason refusal(byte[] root, ObjectNode proof) {
        try {
            AccountProof.verify(root, proof);
        } catch (ProofException e) {
            return e.reason();
        }
        throw new AssertionError("proof was accepted");
    }

    @Test
    void verifiesFundedAccountWithTheValuesGanacheReported() {
        VerifiedAccount account = AccountProof.verify(STATE_ROOT, Fixtures.load("proof-funded-account.json"));

        assertThat(account.exists()).isTrue();
        assertThat(account.nonce()).isEqualTo(3);
        assertThat(account.balance()).isEqualTo(new BigInteger("360c27169f99c3f840", 16));
        assertThat(account.codeHash()).isEqualTo(AccountProof.EMPTY_CODE_HASH);
        assertThat(account.storageRoot()).isEqualTo(MerkleProof.EMPTY_TRIE_ROOT);
    }

    @Test
    void verifiesAbsentAccountAsEmpty() {
        VerifiedAccount account = AccountProof.verify(STATE_ROOT, Fixtures.load("proof-absent-account.json"));

        assertThat(account.exists()).isFalse();
        assertThat(account.nonce()).isZero();
        assertThat(account.balance()).isZero();
        assertThat(account.codeHash()).isEqualTo(Hash.sha3(new byte[0]));
        assertThat(account.storageRoot()).isEqualTo(MerkleProof.EMPTY_TRIE_ROOT);
        assertThat(account.storage()).containsExactly(Map.entry(BigInteger.ZERO, BigInteger.ZERO));
    }

    @Test
    void verifiesContractStorageSlotsAndCodeHash() {
        VerifiedAccount account = AccountProof.verify(STATE_ROOT, Fixtures.load("proof-contract.json"));

        assertThat(account.nonce()).isEqualTo(1);
        assertThat(account.codeHash()).isEqualTo(Hash.sha3(new byte[] {0x42}));
        assertThat(account.storage()).containsExactly(
                Map.entry(BigInteger.ZERO, BigInteger.ONE),
                Map.entry(BigInteger.ONE, BigInteger.TWO),
                Map.entry(BigInteger.valueOf(5), BigInteger.ZERO));
    }

    @Test
    void refusesZeroBalanceThatTheProofContradicts() {
        ObjectNode proof = Fixtures.load("proof-funded-account.json");
        proof.put("balance", "0x0");

        assertThatThrownBy(() -> AccountProof.verify(STATE_ROOT, proof))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("balance claimed 0x0, proof says 0x360c27169f99c3f840");
    }

    @Test
    void refusesChangedNonce() {
        ObjectNode proof = Fixtures.load("proof-funded-account.json");
        proof.put("nonce", "0x2");

        assertThat(refusal(proof)).isEqualTo(ProofException.Reason.VALUE_MISMATCH);
    }

    @Test
    void refusesChangedCodeHash() {
        ObjectNode proof = Fixtures.load("proof-contract.json");
        proof.put("codeHash", HexData.hex(AccountProof.EMPTY_CODE_HASH));

        assertThat(refusal(proof)).isEqualTo(ProofException.Reason.VALUE_MISMATCH);
    }

    @Test
    void refusesChangedStorageValueNamingTheSlot() {
        ObjectNode proof = Fixtures.load("proof-contract.json");
        ((ObjectNode) proof.get("storageProof").get(1)).put("value", "0x3");

        assertThatThrownBy(() -> AccountProof.verify(STATE_ROOT, proof))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.VALUE_MISMATCH))
                .hasMessageContaining("slot 0x0000000000000000000000000000000000000000000000000000000000000001");
    }

    @Test
    void refusesNonZeroClaimForEmptySlot() {
        ObjectNode proof = Fixtures.load("proof-contract.json");
        ((ObjectNode) proof.get("storageProof").get(2)).put("value", "0x1");

        assertThat(refusal(proof)).isEqualTo(ProofException.Reason.VALUE_MISMATCH);
    }

    @Test
    void refusesWrongStateRoot() {
        byte[] parentRoot = Hash.sha3("not the state root".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(refusal(parentRoot, Fixtures.load("proof-funded-account.json")))
                .isEqualTo(ProofException.Reason.HASH_MISMATCH);
    }

    @Test
    void refusesFlippedByteInAccountProofNode() {
        ObjectNode proof = Fixtures.load("proof-funded-account.json");
        Fixtures.flipProofByte((ArrayNode) proof.get("accountProof"), 1, 40);

        assertThatThrownBy(() -> AccountProof.verify(STATE_ROOT, proof))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.HASH_MISMATCH))
                .hasMessageContaining("account 0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1");
    }

    @Test
    void refusesFlippedByteInStorageProofNode() {
        ObjectNode proof = Fixtures.load("proof-contract.json");
        Fixtures.flipProofByte((ArrayNode) proof.get("storageProof").get(0).get("proof"), 1, 34);

        assertThat(refusal(proof)).isEqualTo(ProofException.Reason.HASH_MISMATCH);
    }

    @Test
    void refusesAccountProofWithANodeRemoved() {
        ObjectNode proof = Fixtures.load("proof-contract.json");
        ((ArrayNode) proof.get("accountProof")).remove(1);

        assertThat(refusal(proof)).isEqualTo(ProofException.Reason.HASH_MISMATCH);
    }

    @Test
    void refusesAccountProofTruncatedToClaimAbsence() {
        ObjectNode proof = Fixtures.load("proof-funded-account.json");
        ArrayNode nodes = (ArrayNode) proof.get("accountProof");
        nodes.remove(nodes.size() - 1);
        proof.put("balance", "0x0").put("nonce", "0x0");

        assertThat(refusal(proof)).isEqualTo(ProofException.Reason.INCOMPLETE);
    }

    @Test
    void refusesAbsenceProofPresentedForFundedAccount() {
        ObjectNode funded = Fixtures.load("proof-funded-account.json");
        ObjectNode forged = Fixtures.load("proof-absent-account.json");
        forged.put("address", funded.get("address").asText());

        assertThat(refusal(forged)).isIn(ProofException.Reason.HASH_MISMATCH, ProofException.Reason.INCOMPLETE);
    }

    @Test
    void refusesStorageProofOfAnotherSlot() {
        ObjectNode proof = Fixtures.load("proof-contract.json");
        ObjectNode slot0 = (ObjectNode) proof.get("storageProof").get(0);
        slot0.set("proof", proof.get("storageProof").get(1).get("proof").deepCopy());
        slot0.put("value", "0x2");

        assertThat(refusal(proof)).isEqualTo(ProofException.Reason.HASH_MISMATCH);
    }

    @Test
    void refusesMissingProofField() {
        ObjectNode proof = Fixtures.load("proof-funded-account.json");
        proof.remove("accountProof");

        assertThatThrownBy(() -> AccountProof.verify(STATE_ROOT, proof))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accountProof: missing (expected: array of hex data)");
    }
}
