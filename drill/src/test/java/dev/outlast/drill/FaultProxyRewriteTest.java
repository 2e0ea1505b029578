package dev.outlast.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.outlast.drill.sim.DevAccount;
import dev.outlast.drill.sim.SimulatedChain;
import dev.outlast.testing.JsonRpcClient;
import dev.outlast.testing.ProxiedChain;
import dev.outlast.testing.SignedTransfers;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults that forward and then lie: wrong numbers, a frozen head, another chain. */
class FaultProxyRewriteTest {

    private static final BigInteger ONE_ETHER = BigInteger.TEN.pow(18);

    @RegisterExtension
    final ProxiedChain env = new ProxiedChain();

    @Test
    void lieAnswersZeroBalanceAndNonceOfAFundedAccount() {
        String address = account(0).address();
        sendAndMine(0, 1, 0);
        assertThat(env.direct().quantity("eth_getBalance", address, "latest")).isPositive();
        assertThat(env.direct().quantity("eth_getTransactionCount", address, "latest")).isEqualTo(1);

        env.proxy().setFault(Fault.lie());

        assertThat(env.viaProxy().call("eth_getBalance", address, "latest").asText()).isEqualTo("0x0");
        assertThat(env.viaProxy().call("eth_getTransactionCount", address, "latest").asText()).isEqualTo("0x0");
        assertThat(env.viaProxy().blockNumber()).isEqualTo(1);
    }

    @Test
    void lieReplacesOnlyTheConfiguredMethods() {
        String address = account(0).address();
        env.proxy().setFault(Fault.lie(Set.of("eth_getTransactionCount")));

        assertThat(env.viaProxy().quantity("eth_getBalance", address, "latest"))
                .isEqualTo(SimulatedChain.DEFAULT_BALANCE);
        assertThat(env.viaProxy().call("eth_getTransactionCount", address, "latest").asText()).isEqualTo("0x0");
    }

    @Test
    void lieAppliesElementWiseInABatch() {
        String address = account(1).address();
        env.chain().mine();
        env.proxy().setFault(Fault.lie());

        JsonNode answers = env.viaProxy().exchange(batch(
                JsonRpcClient.request("eth_getBalance", address, "latest"),
                JsonRpcClient.request("eth_blockNumber"),
                JsonRpcClient.request("eth_chainId")));

        assertThat(answers).hasSize(3);
        assertThat(answers.get(0).path("result").asText()).isEqualTo("0x0");
        assertThat(answers.get(1).path("result").asText()).isEqualTo("0x1");
        assertThat(answers.get(2).path("result").asText()).isEqualTo("0x539");
    }

    @Test
    void lagFreezesTheReportedHeadBehindTheRealOne() {
        mine(5);
        env.proxy().setFault(Fault.lag(2));
        mine(3);

        assertThat(env.direct().blockNumber()).isEqualTo(8);
        assertThat(env.viaProxy().blockNumber()).isEqualTo(3);
        assertThat(env.viaProxy().call("eth_getBlockByNumber", "latest", false).path("number").asText())
                .isEqualTo("0x3");
    }

    @Test
    void lagAnswersStateAtTheFrozenHeadForLatestOrAMissingTag() {
        String address = account(0).address();
        mine(2);
        env.proxy().setFault(Fault.lag(0)); // frozen at block 2
        sendAndMine(0, 2, 0);                // block 3 moves the balance
        BigInteger before = env.direct().quantity("eth_getBalance", address, "0x2");
        assertThat(env.direct().quantity("eth_getBalance", address, "latest")).isNotEqualTo(before);

        assertThat(env.viaProxy().quantity("eth_getBalance", address, "latest")).isEqualTo(before);
        assertThat(env.viaProxy().quantity("eth_getBalance", address)).isEqualTo(before);
        assertThat(env.viaProxy().quantity("eth_getTransactionCount", address, "pending")).isZero();
    }

    @Test
    void lagAnswersHeaderNotFoundAboveTheFrozenHead() {
        mine(4);
        env.proxy().setFault(Fault.lag(3)); // frozen at block 1

        assertThatThrownBy(() -> env.viaProxy().call("eth_getBalance", account(0).address(), "0x2"))
                .isInstanceOfSatisfying(JsonRpcClient.RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(-32000);
                    assertThat(e.error().path("message").asText()).isEqualTo("header not found");
                });
        assertThat(env.viaProxy().call("eth_getBlockByNumber", "0x1", false).path("number").asText())
                .isEqualTo("0x1");
    }

    @Test
    void lagHidesTransactionsMinedAboveTheFrozenHead() {
        env.proxy().setFault(Fault.lag(0)); // frozen at genesis
        String hash = sendAndMine(0, 1, 0);

        assertThat(env.direct().call("eth_getTransactionReceipt", hash).isObject()).isTrue();
        assertThat(env.viaProxy().call("eth_getTransactionReceipt", hash).isNull()).isTrue();
        assertThat(env.viaProxy().call("eth_getTransactionByHash", hash).isNull()).isTrue();
    }

    @Test
    void lagAppliesElementWiseInABatch() {
        mine(6);
        env.proxy().setFault(Fault.lag(2)); // frozen at block 4

        ArrayNode requests = batch(
                JsonRpcClient.request("eth_blockNumber"),
                JsonRpcClient.request("eth_getBlockByNumber", "0x6", false),
                JsonRpcClient.request("eth_getBlockByNumber", "latest", false),
                JsonRpcClient.request("eth_chainId"));
        JsonNode answers = env.viaProxy().exchange(requests);

        assertThat(answers).hasSize(4);
        assertThat(answers.get(0).path("result").asText()).isEqualTo("0x4");
        assertThat(answers.get(1).path("error").path("message").asText()).isEqualTo("header not found");
        assertThat(answers.get(2).path("result").path("number").asText()).isEqualTo("0x4");
        assertThat(answers.get(3).path("result").asText()).isEqualTo("0x539");
        for (int i = 0; i < 4; i++) {
            assertThat(answers.get(i).path("id").asLong()).isEqualTo(requests.get(i).path("id").asLong());
        }
    }

    @Test
    void wrongChainReportsTheOtherChainId() {
        env.proxy().setFault(Fault.wrongChain(1));

        assertThat(env.direct().call("eth_chainId").asText()).isEqualTo("0x539");
        assertThat(env.viaProxy().call("eth_chainId").asText()).isEqualTo("0x1");
        assertThat(env.viaProxy().call("net_version").asText()).isEqualTo("1");
        assertThat(env.viaProxy().blockNumber()).isZero();
    }

    @Test
    void rewritesComposeWithEachOther() {
        mine(3);
        env.proxy().setFaults(List.of(Fault.lag(1), Fault.lie(), Fault.wrongChain(10)));

        assertThat(env.viaProxy().blockNumber()).isEqualTo(2);
        assertThat(env.viaProxy().call("eth_getBalance", account(0).address(), "latest").asText()).isEqualTo("0x0");
        assertThat(env.viaProxy().call("eth_chainId").asText()).isEqualTo("0xa");
    }

    private static ArrayNode batch(JsonNode... requests) {
        ArrayNode batch = JsonRpcClient.MAPPER.createArrayNode();
        for (JsonNode r : requests) {
            batch.add(r);
        }
        return batch;
    }

    private DevAccount account(int i) {
        return env.chain().accounts().get(i);
    }

    private void mine(int blocks) {
        for (int i = 0; i < blocks; i++) {
            env.chain().mine();
        }
    }

    private String sendAndMine(int from, int to, long nonce) {
        String raw = SignedTransfers.eip1559(env.chain().chainId(), account(from), account(to).address(), ONE_ETHER,
                nonce);
        String hash = env.direct().call("eth_sendRawTransaction", raw).asText();
        env.chain().mine();
        return hash;
    }
}
