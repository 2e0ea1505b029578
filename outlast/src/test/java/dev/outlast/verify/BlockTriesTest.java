package dev.outlast.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Receipts and transactions tries rebuilt from ganache's answers (see the fixtures' README): a
 * block of 19 transactions of the three types ganache produces, a contract creation that logs, and
 * a block of one; then tampered copies.
 */
class BlockTriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> receipts(String file) {
        try (var in = BlockTriesTest.class.getResourceAsStream("/verify/" + file)) {
            List<JsonNode> list = new ArrayList<>();
            JSON.readTree(in).forEach(list::add);
            return list;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<JsonNode> transactions(ObjectNode block) {
        List<JsonNode> list = new ArrayList<>();
        block.get("transactions").forEach(list::add);
        return list;
    }

    private static byte[] root(ObjectNode block, String field) {
        return Fixtures.bytes(block.get(field).asText());
    }

    @Test
    void blockOfNineteenMixedTransactionsRebuildsItsTransactionsRoot() {
        ObjectNode block = Fixtures.load("block-with-transactions.json");
        assertThat(HexData.hex(BlockHeader.hash(block))).as("the roots belong to this header").isEqualTo(
                block.get("hash").asText());
        assertThat(transactions(block)).extracting(tx -> tx.get("type").asText()).contains("0x0", "0x1", "0x2");

        assertThatCode(() -> Transactions.verify(root(block, "transactionsRoot"), transactions(block)))
                .doesNotThrowAnyException();
        for (JsonNode tx : transactions(block)) {
            assertThat(HexData.hex(Transactions.hash(tx))).isEqualTo(tx.get("hash").asText());
        }
    }

    @Test
    void blockOfNineteenReceiptsRebuildsItsReceiptsRoot() {
        ObjectNode block = Fixtures.load("block-with-transactions.json");
        List<JsonNode> receipts = receipts("receipts.json");
        assertThat(receipts.get(18).get("logs")).hasSize(1);

        assertThatCode(() -> Receipts.verify(root(block, "receiptsRoot"), receipts)).doesNotThrowAnyException();
        for (int i = 0; i < receipts.size(); i++) {
            int index = i;
            assertThatCode(() -> Receipts.checkDerived(receipts, index, block.get("hash").asText()))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void blockOfOneTransactionRebuildsBothRoots() {
        ObjectNode block = Fixtures.load("single-transaction-block.json");
        assertThatCode(() -> Transactions.verify(root(block, "transactionsRoot"), transactions(block)))
                .doesNotThrowAnyException();
        assertThatCode(() -> Receipts.verify(root(block, "receiptsRoot"), receipts("single-transaction-receipts.json")))
                .doesNotThrowAnyException();
    }

    @Test
    void anEmptyListHasTheEmptyTrieRoot() {
        assertThat(TrieRoot.ofList(List.of())).isEqualTo(MerkleProof.EMPTY_TRIE_ROOT);
        assertThat(HexData.hex(TrieRoot.ofList(List.of())))
                .isEqualTo("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    }

    @Test
    void aFailedTransactionClaimedSuccessfulIsCaught() {
        ObjectNode block = Fixtures.load("block-with-transactions.json");
        List<JsonNode> receipts = receipts("receipts.json");
        ((ObjectNode) receipts.get(3)).put("status", "0x0");

        assertThatThrownBy(() -> Receipts.verify(root(block, "receiptsRoot"), receipts))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.HASH_MISMATCH));
    }

    @Test
    void aChangedLogIsCaught() {
        ObjectNode block = Fixtures.load("block-with-transactions.json");
        List<JsonNode> receipts = receipts("receipts.json");
        ((ObjectNode) receipts.get(18).get("logs").get(0)).put("data", "0x01");

        assertThatThrownBy(() -> Receipts.verify(root(block, "receiptsRoot"), receipts))
                .isInstanceOf(ProofException.class).hasMessageContaining("the header says");
    }

    @Test
    void aMissingReceiptIsCaught() {
        ObjectNode block = Fixtures.load("single-transaction-block.json");

        assertThatThrownBy(() -> Receipts.verify(root(block, "receiptsRoot"), List.of()))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.HASH_MISMATCH));
    }

    @Test
    void receiptsOutOfOrderAreRefused() {
        ObjectNode block = Fixtures.load("block-with-transactions.json");
        List<JsonNode> receipts = receipts("receipts.json");
        JsonNode first = receipts.remove(0);
        receipts.add(1, first);

        assertThatThrownBy(() -> Receipts.verify(root(block, "receiptsRoot"), receipts))
                .isInstanceOf(ProofException.class).hasMessageContaining("transactionIndex");
    }

    @Test
    void aGasUsedThatCumulativeGasContradictsIsCaught() {
        List<JsonNode> receipts = receipts("receipts.json");
        ((ObjectNode) receipts.get(5)).put("gasUsed", "0x1");
        String hash = Fixtures.load("block-with-transactions.json").get("hash").asText();

        assertThatThrownBy(() -> Receipts.checkDerived(receipts, 5, hash))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.VALUE_MISMATCH));
    }

    @Test
    void aTransactionWithAChangedValueNoLongerHashesToItsHash() {
        ObjectNode block = Fixtures.load("block-with-transactions.json");
        List<JsonNode> txs = transactions(block);
        ((ObjectNode) txs.get(0)).put("value", "0x0");

        assertThatThrownBy(() -> Transactions.verify(root(block, "transactionsRoot"), txs))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.VALUE_MISMATCH));
    }

    @Test
    void aDroppedTransactionChangesTheRoot() {
        ObjectNode block = Fixtures.load("block-with-transactions.json");
        List<JsonNode> txs = transactions(block);
        txs.remove(7);
        for (int i = 7; i < txs.size(); i++) {
            ((ObjectNode) txs.get(i)).put("transactionIndex", "0x" + Integer.toHexString(i));
        }

        assertThatThrownBy(() -> Transactions.verify(root(block, "transactionsRoot"), txs))
                .isInstanceOfSatisfying(ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.HASH_MISMATCH));
    }

    @Test
    void eachSenderIsRecoveredFromItsSignature() {
        for (JsonNode tx : transactions(Fixtures.load("block-with-transactions.json"))) {
            assertThat(Transactions.sender(tx)).as(tx.get("type").asText()).isEqualTo(tx.get("from").asText());
        }
    }

    /** geth's blob and set-code transactions from ethereum/execution-apis: types ganache does not produce. */
    @Test
    void blobAndSetCodeTransactionsHashToTheirHashesAndRecoverTheirSenders() {
        for (String file : List.of("execution-apis-blob-tx.json", "execution-apis-setcode-tx.json")) {
            ObjectNode tx = Fixtures.load(file);
            assertThat(HexData.hex(Transactions.hash(tx))).as(file).isEqualTo(tx.get("hash").asText());
            assertThat(Transactions.sender(tx)).as(file).isEqualTo(tx.get("from").asText());
        }
        ObjectNode blob = Fixtures.load("execution-apis-blob-tx.json");
        ((ArrayNode) blob.get("blobVersionedHashes")).set(0, "0x01" + "00".repeat(31));
        assertThat(HexData.hex(Transactions.hash(blob))).isNotEqualTo(blob.get("hash").asText());
    }

    @Test
    void anUnknownTransactionTypeIsUnsupportedNotWrong() {
        ObjectNode tx = Fixtures.load("execution-apis-setcode-tx.json");
        tx.put("type", "0x7e");

        assertThatThrownBy(() -> Transactions.hash(tx)).isInstanceOfSatisfying(ProofException.class,
                e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.UNSUPPORTED));
    }

    @Test
    void aReceiptOfAnUnknownTypeIsUnsupportedNotWrong() {
        ObjectNode receipt = (ObjectNode) receipts("receipts.json").get(0);
        receipt.put("type", "0x7e");

        assertThatThrownBy(() -> Receipts.encode(receipt)).isInstanceOfSatisfying(ProofException.class,
                e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.UNSUPPORTED));
    }

    @Test
    void aChangedSignatureRecoversAnotherSender() {
        ObjectNode tx = (ObjectNode) Fixtures.load("block-with-transactions.json").get("transactions").get(2);
        tx.put("s", Fixtures.flipByte(tx.get("s").asText(), 31));

        assertThat(Transactions.sender(tx)).isNotEqualTo(tx.get("from").asText());
    }

    @Test
    void anAccessListChangeIsCaughtInTheTypeOneTransaction() {
        ObjectNode block = Fixtures.load("block-with-transactions.json");
        ObjectNode tx = (ObjectNode) block.get("transactions").get(1);
        ((ArrayNode) tx.get("accessList").get(0).get("storageKeys")).set(0, "0x" + "00".repeat(31) + "02");

        assertThat(HexData.hex(Transactions.hash(tx))).isNotEqualTo(tx.get("hash").asText());
    }
}
