package dev.outlast.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.MediaType;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.config.VerifyConfig;
import dev.outlast.config.VerifyMode;
import dev.outlast.drill.Fault;
import dev.outlast.drill.FaultProxy;
import dev.outlast.server.OutlastServer;
import dev.outlast.testing.GanacheCluster;
import dev.outlast.testing.TrueState;
import dev.outlast.testing.WalletLoad;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly two real providers, one of which lies (zero balances and nonces, and an
 * {@code eth_getProof} with its real proof nodes that claims the same zeros). Under the default
 * ({@code verify} absent: {@code auto}, which finds that ganache serves proofs) a wallet-like load
 * sees no error and no wrong value: the value served is the one the honest provider's proof proves
 * against the agreed header. With {@code verify: consensus} the same load gets {@code no_quorum}:
 * with one liar of two, agreement is impossible. The table printed is the figures.
 */
class ProofReadIT {

    private static final Fault LIE = Fault.lie(Set.of("eth_getBalance", "eth_getTransactionCount", "eth_getProof",
            "eth_getCode", "eth_getTransactionReceipt", "eth_getTransactionByHash"));
    private static GanacheCluster cluster;
    private static TrueState truth;

    @BeforeAll
    static void start() {
        cluster = GanacheCluster.startWithGossip(2);
        truth = new TrueState(cluster.nodeUri(1)).recordAppearances();
        cluster.proxy(0).setFault(LIE);
    }

    @AfterAll
    static void stop() {
        truth.close();
        cluster.close();
    }

    private static OutlastServer gateway(VerifyMode mode) {
        return gateway(VerifyConfig.of(mode));
    }

    private static OutlastServer gateway(VerifyConfig verify) {
        ChainConfig chain = new ChainConfig("devnet", GanacheCluster.CHAIN_ID, List.of(
                new UpstreamConfig("alpha", cluster.proxyUri(0)), new UpstreamConfig("beta", cluster.proxyUri(1))),
                Duration.ofSeconds(10), Duration.ofMillis(250), Duration.ofSeconds(60),
                ChainConfig.DEFAULT_MAX_LAG_BLOCKS, ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of())
                .withVerify(verify);
        OutlastServer server = OutlastServer.start(new OutlastConfig(ServerConfig.of("127.0.0.1", 0), List.of(chain)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.chains().get("devnet").isReady());
        if (verify.mode() == VerifyMode.AUTO) {
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> server.chains().get("devnet").effectiveVerify().equals("proofs"));
        }
        return server;
    }

    @Test
    void proofsServeTheTruthWhereConsensusCanOnlyRefuse() throws Exception {
        WalletLoad.Stats proofs;
        WalletLoad.Stats consensus;
        try (OutlastServer server = gateway(ChainConfig.DEFAULT_VERIFY)) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/rpc/devnet");
            AggregatedHttpResponse res = call(WebClient.of("http://127.0.0.1:" + server.port()), "/rpc/devnet",
                    "eth_getBalance", "[\"" + cluster.accounts().get(3).address() + "\",\"latest\"]");
            assertThat(result(res).asText()).as(res.contentUtf8()).isEqualTo("0x3635c9adc5dea00000");
            assertThat(res.headers().get("x-outlast-verified")).isEqualTo("proof");
            WalletLoad load = new WalletLoad(url, truth, cluster.accounts(), GanacheCluster.CHAIN_ID);
            proofs = load.run("1 liar of 2: proofs (auto)", 4, Duration.ofSeconds(6), false);
            load.close();
        }
        try (OutlastServer server = gateway(VerifyMode.CONSENSUS)) {
            WalletLoad load = new WalletLoad(URI.create("http://127.0.0.1:" + server.port() + "/rpc/devnet"), truth,
                    cluster.accounts(), GanacheCluster.CHAIN_ID);
            consensus = load.run("1 liar of 2: consensus", 4, Duration.ofSeconds(6), false);
            load.close();
        }
        System.out.println("Two providers, one lies; the same wallet load (4 readers, 6 s):\n" + WalletLoad.Stats.header()
                + "\n" + proofs.row() + "\n" + consensus.row());
        assertThat(proofs.requests()).isGreaterThan(20);
        assertThat(proofs.errors()).as("errors with proofs: %s", proofs.samples()).isZero();
        assertThat(proofs.wrong()).as("wrong values with proofs: %s", proofs.samples()).isZero();
        assertThat(consensus.wrong()).as("consensus never guesses").isZero();
        assertThat(consensus.errors()).as("consensus alone must refuse").isPositive();
        assertThat(consensus.samples()).anySatisfy(s -> assertThat(s).contains("no_quorum"));
    }

    /** Posts one JSON-RPC call ({@code params} as JSON) to {@code path} of {@code client}. */
    private static AggregatedHttpResponse call(WebClient client, String path, String method, String params) {
        return client.prepare().post(path).content(MediaType.JSON_UTF_8, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
                + method + "\",\"params\":" + params + "}").execute().aggregate().join();
    }

    private static JsonNode result(AggregatedHttpResponse res) throws Exception {
        return new ObjectMapper().readTree(res.contentUtf8()).path("result");
    }

    @Test
    void contractCodeIsServedOnlyWhenItHashesToTheProvenCodeHash() throws Exception {
        WebClient beta = WebClient.of(cluster.proxyUri(1).toString());
        // Runtime code 0x42: PUSH1 0x42 PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 RETURN. Gossip deploys it on both nodes.
        String sent = result(call(beta, "/", "eth_sendTransaction", "[{\"from\":\"" + cluster.accounts().get(5).address()
                + "\",\"data\":\"0x604260005360016000f3\",\"gas\":\"0x30000\"}]")).asText();
        JsonNode receipt = result(call(beta, "/", "eth_getTransactionReceipt", "[\"" + sent + "\"]"));
        String contract = receipt.path("contractAddress").asText();
        assertThat(contract).as(receipt.toString()).startsWith("0x");
        try (OutlastServer server = gateway(VerifyMode.PROOFS)) {
            WebClient client = WebClient.of("http://127.0.0.1:" + server.port());
            for (int i = 0; i < 10; i++) {
                AggregatedHttpResponse res = call(client, "/rpc/devnet", "eth_getCode", "[\"" + contract + "\",\"latest\"]");
                assertThat(result(res).asText()).as(res.contentUtf8()).isEqualTo("0x42");
                assertThat(res.headers().get("x-outlast-verified")).isEqualTo("proof");
            }
        }
    }

    @Test
    void receiptsAndTransactionsAreServedFromTheBlocksTries() throws Exception {
        WebClient beta = WebClient.of(cluster.proxyUri(1).toString());
        String tx = result(call(beta, "/", "eth_sendTransaction", "[{\"from\":\"" + cluster.accounts().get(6).address()
                + "\",\"to\":\"" + cluster.accounts().get(7).address() + "\",\"value\":\"0x2a\"}]")).asText();
        JsonNode trueReceipt = result(call(beta, "/", "eth_getTransactionReceipt", "[\"" + tx + "\"]"));
        assertThat(trueReceipt.path("status").asText()).as(trueReceipt.toString()).isEqualTo("0x1");
        try (OutlastServer server = gateway(ChainConfig.DEFAULT_VERIFY)) {
            WebClient client = WebClient.of("http://127.0.0.1:" + server.port());
            for (int i = 0; i < 6; i++) {
                // The first of each is proven with the liar in the pool; the repeats come from the cache, still proven.
                String method = i % 2 == 0 ? "eth_getTransactionReceipt" : "eth_getTransactionByHash";
                AggregatedHttpResponse res = call(client, "/rpc/devnet", method, "[\"" + tx + "\"]");
                JsonNode result = result(res);
                assertThat(res.headers().get("x-outlast-verified")).as(res.contentUtf8()).isEqualTo("proof");
                if (method.equals("eth_getTransactionReceipt")) {
                    assertThat(result).isEqualTo(trueReceipt);
                } else {
                    assertThat(result.path("hash").asText()).isEqualTo(tx);
                    assertThat(result.path("from").asText()).isEqualToIgnoringCase(cluster.accounts().get(6).address());
                    assertThat(result.path("value").asText()).isEqualTo("0x2a");
                }
            }
        }
    }

    @Test
    void bothServesOnlyWhatTheProofAndTheQuorumConfirm() throws Exception {
        String balance = "[\"" + cluster.accounts().get(3).address() + "\",\"latest\"]";
        try (OutlastServer server = gateway(VerifyMode.BOTH)) {
            AggregatedHttpResponse res = call(WebClient.of("http://127.0.0.1:" + server.port()), "/rpc/devnet",
                    "eth_getBalance", balance);
            assertThat(res.contentUtf8()).as("the liar leaves no quorum").contains("no_quorum")
                    .doesNotContain("\"result\"");
        }
        FaultProxy liar = cluster.proxy(0);
        liar.clearFaults();
        try (OutlastServer server = gateway(VerifyMode.BOTH)) {
            AggregatedHttpResponse res = call(WebClient.of("http://127.0.0.1:" + server.port()), "/rpc/devnet",
                    "eth_getBalance", balance);
            assertThat(result(res).asText()).as(res.contentUtf8()).isEqualTo("0x3635c9adc5dea00000");
            assertThat(res.headers().get("x-outlast-verified")).isEqualTo("proof");
            assertThat(res.headers().get("x-outlast-consensus")).isEqualTo("2/2");
        } finally {
            liar.setFault(LIE);
        }
    }
}
