package dev.outlast.drill.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.testing.JsonRpcClient;
import dev.outlast.testing.SignedTransfers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Convert;
import org.web3j.utils.Numeric;

class SimulatedChainTest {

    private static final BigInteger ONE_ETHER = BigInteger.TEN.pow(18);

    private SimulatedChain chain;
    private JsonRpcClient rpc;

    @BeforeEach
    void start() {
        chain = SimulatedChain.start();
        rpc = new JsonRpcClient(chain.startProvider().uri());
    }

    @AfterEach
    void stop() {
        rpc.close();
        chain.close();
    }

    @Test
    void web3jTransferMovesBalancesAndNonce() throws Exception {
        try (SimulatedChain mining = SimulatedChain.builder().blockInterval(Duration.ofMillis(50)).build()) {
            Web3j web3j = Web3j.build(new HttpService(mining.startProvider().uri().toString()));
            try {
                DevAccount from = mining.accounts().get(0);
                DevAccount to = mining.accounts().get(1);
                var manager = new RawTransactionManager(web3j, from.credentials(), mining.chainId(),
                        new PollingTransactionReceiptProcessor(web3j, 50, 200));

                TransactionReceipt receipt = new Transfer(web3j, manager)
                        .sendFunds(to.address(), BigDecimal.valueOf(2), Convert.Unit.ETHER).send();

                assertThat(receipt.isStatusOK()).isTrue();
                BigInteger gasPrice = Numeric.decodeQuantity(receipt.getEffectiveGasPrice());
                BigInteger fee = gasPrice.multiply(BigInteger.valueOf(21_000));
                var latest = DefaultBlockParameterName.LATEST;
                assertThat(web3j.ethGetBalance(to.address(), latest).send().getBalance())
                        .isEqualTo(SimulatedChain.DEFAULT_BALANCE.add(ONE_ETHER.multiply(BigInteger.TWO)));
                assertThat(web3j.ethGetBalance(from.address(), latest).send().getBalance())
                        .isEqualTo(SimulatedChain.DEFAULT_BALANCE.subtract(ONE_ETHER.multiply(BigInteger.TWO))
                                .subtract(fee));
                assertThat(web3j.ethGetTransactionCount(from.address(), latest).send().getTransactionCount())
                        .isEqualTo(BigInteger.ONE);
                assertThat(web3j.ethGetTransactionByHash(receipt.getTransactionHash()).send().getTransaction())
                        .hasValueSatisfying(tx -> assertThat(tx.getFrom()).isEqualTo(from.address()));
            } finally {
                web3j.shutdown();
            }
        }
    }

    @Test
    void historicalQueriesReturnTheValuesOfTheirBlock() {
        String sender = account(0).address();
        chain.mine();
        send(0, 1, ONE_ETHER, 0);
        chain.mine(); // block 2 holds the transfer

        assertThat(rpc.quantity("eth_getBalance", sender, "0x1")).isEqualTo(SimulatedChain.DEFAULT_BALANCE);
        assertThat(rpc.quantity("eth_getBalance", sender, "earliest")).isEqualTo(SimulatedChain.DEFAULT_BALANCE);
        assertThat(rpc.quantity("eth_getTransactionCount", sender, "0x1")).isZero();
        assertThat(rpc.quantity("eth_getTransactionCount", sender, "0x2")).isOne();
        assertThat(rpc.quantity("eth_getBalance", sender, "latest")).isLessThan(SimulatedChain.DEFAULT_BALANCE);
        assertThatThrownBy(() -> rpc.call("eth_getBalance", sender, "0x3"))
                .isInstanceOfSatisfying(JsonRpcClient.RpcException.class,
                        e -> assertThat(e.error().path("message").asText()).isEqualTo("header not found"));
    }

    @Test
    void pendingStateCountsTransactionsWaitingForTheNextBlock() {
        String sender = account(0).address();
        String hash = send(0, 1, ONE_ETHER, 0);

        assertThat(rpc.quantity("eth_getTransactionCount", sender, "pending")).isOne();
        assertThat(rpc.quantity("eth_getTransactionCount", sender, "latest")).isZero();
        assertThat(rpc.call("eth_getTransactionReceipt", hash).isNull()).isTrue();
        assertThat(rpc.call("eth_getTransactionByHash", hash).path("blockNumber").isNull()).isTrue();

        chain.mine();

        assertThat(rpc.call("eth_getTransactionReceipt", hash).path("blockNumber").asText()).isEqualTo("0x1");
    }

    @Test
    void twoProvidersOfOneChainAgree() {
        try (JsonRpcClient other = new JsonRpcClient(chain.startProvider().uri())) {
            String hash = send(0, 2, ONE_ETHER, 0);
            chain.mine();

            JsonNode head = rpc.call("eth_getBlockByNumber", "latest", false);
            JsonNode otherHead = other.call("eth_getBlockByNumber", "latest", false);
            assertThat(otherHead).isEqualTo(head);
            assertThat(head.path("transactions").get(0).asText()).isEqualTo(hash);
            assertThat(other.call("eth_getBalance", account(2).address(), "latest"))
                    .isEqualTo(rpc.call("eth_getBalance", account(2).address(), "latest"));
            assertThat(other.call("eth_getTransactionReceipt", hash)).isEqualTo(rpc.call("eth_getTransactionReceipt", hash));
        }
    }

    @Test
    void blocksLinkByParentHashAndAreFoundByHash() {
        chain.mine();
        chain.mine();

        JsonNode one = rpc.call("eth_getBlockByNumber", "0x1", false);
        JsonNode two = rpc.call("eth_getBlockByNumber", "0x2", false);
        assertThat(two.path("parentHash")).isEqualTo(one.path("hash"));
        assertThat(one.path("hash").asText()).matches("0x[0-9a-f]{64}");
        assertThat(rpc.call("eth_getBlockByHash", one.path("hash").asText(), false)).isEqualTo(one);
        assertThat(rpc.call("eth_getBlockByNumber", "0x9", false).isNull()).isTrue();
    }

    @Test
    void sameGenesisAndClockGiveTheSameBlockHashes() {
        Clock fixed = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (SimulatedChain a = SimulatedChain.builder().clock(fixed).build();
             SimulatedChain b = SimulatedChain.builder().clock(fixed).build()) {
            a.mine();
            b.mine();
            assertThat(a.head()).isEqualTo(b.head());
            assertThat(a.head().timestamp()).isEqualTo(fixed.instant().getEpochSecond() + 1);
        }
    }

    @Test
    void safeAndFinalizedTrailTheHead() {
        for (int i = 0; i < 5; i++) {
            chain.mine();
        }

        assertThat(rpc.call("eth_getBlockByNumber", "finalized", false).path("number").asText()).isEqualTo("0x3");
        assertThat(rpc.call("eth_getBlockByNumber", "safe", false).path("number").asText()).isEqualTo("0x3");
        assertThat(rpc.call("eth_getBlockByNumber", "pending", false).path("number").asText()).isEqualTo("0x5");
    }

    @Test
    void minesOnItsIntervalWithoutBeingAsked() {
        try (SimulatedChain timed = SimulatedChain.builder().blockInterval(Duration.ofMillis(20)).build()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> timed.head().number() >= 3);
        }
    }

    @Test
    void rejectsATransactionForAnotherChain() {
        String raw = SignedTransfers.eip1559(1, account(0), account(1).address(), ONE_ETHER, 0);

        assertThatThrownBy(() -> rpc.call("eth_sendRawTransaction", raw))
                .hasMessageContaining("invalid chain id for signer: have 1 want 1337");
    }

    @Test
    void rejectsNonceGapsAndReuse() {
        send(0, 1, ONE_ETHER, 0);

        assertThatThrownBy(() -> send(0, 1, BigInteger.TWO, 0)).hasMessageContaining("nonce too low");
        assertThatThrownBy(() -> send(0, 1, ONE_ETHER, 5)).hasMessageContaining("nonce too high");
        assertThat(send(0, 1, ONE_ETHER, 1)).startsWith("0x");
    }

    @Test
    void rejectsATransferAboveTheBalance() {
        assertThatThrownBy(() -> send(0, 1, SimulatedChain.DEFAULT_BALANCE, 0))
                .hasMessageContaining("insufficient funds for gas * price + value");
    }

    @Test
    void acceptsLegacyReplayProtectedTransactions() {
        String raw = SignedTransfers.legacy(chain.chainId(), account(3), account(4).address(), ONE_ETHER, 0);
        String hash = rpc.call("eth_sendRawTransaction", raw).asText();
        chain.mine();

        JsonNode receipt = rpc.call("eth_getTransactionReceipt", hash);
        assertThat(receipt.path("from").asText()).isEqualTo(account(3).address());
        assertThat(receipt.path("type").asText()).isEqualTo("0x0");
        assertThat(receipt.path("effectiveGasPrice").asText()).isEqualTo("0x77359400");
    }

    @Test
    void answersUnknownMethodsWithMethodNotFound() {
        assertThatThrownBy(() -> rpc.call("eth_mining"))
                .isInstanceOfSatisfying(JsonRpcClient.RpcException.class, e -> assertThat(e.code()).isEqualTo(-32601));
    }

    @Test
    void answersBatchesElementByElement() {
        var batch = JsonRpcClient.MAPPER.createArrayNode()
                .add(JsonRpcClient.request("eth_chainId"))
                .add(JsonRpcClient.request("eth_nope"))
                .add(JsonRpcClient.request("eth_getBalance", "not an address", "latest"));

        JsonNode answers = rpc.exchange(batch);

        assertThat(answers).hasSize(3);
        assertThat(answers.get(0).path("result").asText()).isEqualTo("0x539");
        assertThat(answers.get(1).path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(answers.get(2).path("error").path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void answersUnparseableBodiesWithParseError() throws Exception {
        JsonNode answer = JsonRpcClient.MAPPER.readTree(rpc.post("{not json").body());

        assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32700);
    }

    @Test
    void servesHistoricalBlocksWithFullTransactions() {
        String hash = send(0, 1, ONE_ETHER, 0);
        chain.mine();

        JsonNode block = rpc.call("eth_getBlockByNumber", "0x1", true);

        assertThat(block.path("transactions").get(0).path("hash").asText()).isEqualTo(hash);
        assertThat(block.path("transactions").get(0).path("value").asText()).isEqualTo("0xde0b6b3a7640000");
        assertThat(rpc.call("eth_getBlockByNumber", "0x1", false).path("gasUsed").asText()).isEqualTo("0x5208");
    }

    private DevAccount account(int i) {
        return chain.accounts().get(i);
    }

    private String send(int from, int to, BigInteger wei, long nonce) {
        String raw = SignedTransfers.eip1559(chain.chainId(), account(from), account(to).address(), wei, nonce);
        return rpc.call("eth_sendRawTransaction", raw).asText();
    }
}
