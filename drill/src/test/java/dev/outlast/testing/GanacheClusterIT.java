package dev.outlast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.drill.Fault;
import dev.outlast.drill.sim.DevAccount;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Convert;

/** Three real ganache nodes with gossip: identical chains, faults in front of real nodes. */
class GanacheClusterIT {

    private static final BigInteger ONE_ETHER = BigInteger.TEN.pow(18);

    private static GanacheCluster cluster;
    private static long startMillis;

    @BeforeAll
    static void startCluster() {
        long start = System.nanoTime();
        cluster = GanacheCluster.startWithGossip(3);
        startMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("GanacheClusterIT: 3 ganache nodes ready in " + startMillis + " ms");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void clearFaults() {
        for (int i = 0; i < cluster.size(); i++) {
            cluster.proxy(i).clearFaults();
        }
    }

    @Test
    void nodesShareGenesisAndTheDeterministicAccounts() {
        List<JsonNode> genesis = new ArrayList<>();
        for (var uri : cluster.nodeUris()) {
            try (JsonRpcClient node = new JsonRpcClient(uri)) {
                genesis.add(node.call("eth_getBlockByNumber", "0x0", false).path("hash"));
                List<String> accounts = new ArrayList<>();
                node.call("eth_accounts").forEach(a -> accounts.add(a.asText()));
                assertThat(accounts).isEqualTo(cluster.accounts().stream().map(DevAccount::address).toList());
                assertThat(node.quantity("eth_chainId")).isEqualTo(GanacheCluster.CHAIN_ID);
            }
        }
        assertThat(genesis).hasSize(3).allMatch(h -> h.equals(genesis.getFirst()));
    }

    @Test
    void web3jTransferThroughOneProxyReachesEveryNodeIdentically() throws Exception {
        DevAccount from = cluster.accounts().get(0);
        DevAccount to = cluster.accounts().get(1);
        List<JsonRpcClient> nodes = cluster.nodeUris().stream().map(JsonRpcClient::new).toList();
        try (TrueState truth = new TrueState(cluster.nodeUri(2))) {
            long before = nodes.getFirst().blockNumber();
            BigInteger recipientBefore = nodes.getFirst().quantity("eth_getBalance", to.address(), "latest");
            long relayedBefore = cluster.gossip().relayed();

            Web3j web3j = Web3j.build(new HttpService(cluster.proxyUri(0).toString()));
            TransactionReceipt receipt;
            try {
                var manager = new RawTransactionManager(web3j, from.credentials(), GanacheCluster.CHAIN_ID,
                        new PollingTransactionReceiptProcessor(web3j, 100, 100));
                receipt = new Transfer(web3j, manager)
                        .sendFunds(to.address(), BigDecimal.ONE, Convert.Unit.ETHER).send();
            } finally {
                web3j.shutdown();
            }

            assertThat(receipt.isStatusOK()).isTrue();
            assertThat(cluster.gossip().relayed() - relayedBefore).isEqualTo(2);
            long head = nodes.getFirst().blockNumber();
            assertThat(head).isEqualTo(before + 1);
            JsonNode headBlock = nodes.getFirst().call("eth_getBlockByNumber", "latest", false);
            assertThat(headBlock.path("transactions").get(0).asText()).isEqualTo(receipt.getTransactionHash());
            for (JsonRpcClient node : nodes) {
                assertThat(node.blockNumber()).isEqualTo(head);
                assertThat(node.call("eth_getBlockByNumber", "latest", false).path("hash"))
                        .isEqualTo(headBlock.path("hash"));
                assertThat(node.quantity("eth_getBalance", to.address(), "latest"))
                        .isEqualTo(recipientBefore.add(ONE_ETHER));
                assertThat(node.call("eth_getBalance", from.address(), "latest"))
                        .isEqualTo(nodes.getFirst().call("eth_getBalance", from.address(), "latest"));
            }
            assertThat(truth.balances(to.address(), before, head))
                    .containsExactlyInAnyOrder(recipientBefore, recipientBefore.add(ONE_ETHER));
            assertThat(truth.isValidBalance(to.address(), BigInteger.ZERO, before, head)).isFalse();
        } finally {
            nodes.forEach(JsonRpcClient::close);
        }
    }

    @Test
    void concurrentSendersThroughDifferentProxiesLeaveTheNodesIdentical() throws Exception {
        List<Thread> senders = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            int proxy = i;
            DevAccount from = cluster.accounts().get(6 + i);
            senders.add(Thread.ofVirtual().start(() -> {
                try (JsonRpcClient client = new JsonRpcClient(cluster.proxyUri(proxy))) {
                    long nonce = client.quantity("eth_getTransactionCount", from.address(), "pending").longValueExact();
                    for (int k = 0; k < 3; k++) {
                        String raw = SignedTransfers.eip1559(GanacheCluster.CHAIN_ID, from,
                                cluster.accounts().get(9).address(), BigInteger.valueOf(1000 + k), nonce + k);
                        client.call("eth_sendRawTransaction", raw);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }

        assertThat(failures).isEmpty();
        List<JsonNode> heads = new ArrayList<>();
        for (var uri : cluster.nodeUris()) {
            try (JsonRpcClient node = new JsonRpcClient(uri)) {
                heads.add(node.call("eth_getBlockByNumber", "latest", false));
            }
        }
        assertThat(heads).allSatisfy(h -> {
            assertThat(h.path("hash")).isEqualTo(heads.getFirst().path("hash"));
            assertThat(h.path("number")).isEqualTo(heads.getFirst().path("number"));
        });
    }

    @Test
    void faultsInFrontOfRealNodesLieAndLag() {
        try (JsonRpcClient liar = new JsonRpcClient(cluster.proxyUri(1));
             JsonRpcClient laggard = new JsonRpcClient(cluster.proxyUri(2));
             TrueState truth = new TrueState(cluster.nodeUri(0))) {
            String rich = cluster.accounts().get(5).address();
            cluster.proxy(1).setFault(Fault.lie());
            cluster.proxy(2).setFault(Fault.lag(1));
            long head = truth.head();

            BigInteger lie = liar.quantity("eth_getBalance", rich, "latest");
            assertThat(lie).isZero();
            assertThat(truth.isValidBalance(rich, lie, head, head)).isFalse();
            assertThat(laggard.blockNumber()).isEqualTo(Math.max(0, head - 1));
        }
    }
}
