package dev.outlast.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.cache.Finality;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.drill.sim.DevAccount;
import dev.outlast.rpc.Quantity;
import dev.outlast.server.OutlastServer;
import dev.outlast.testing.GanacheCluster;
import dev.outlast.testing.JsonRpcClient;
import dev.outlast.testing.SignedTransfers;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A real reorg on ganache: a transfer is mined and read through Outlast (and cached), then the
 * chain is reverted to a snapshot taken before it ({@code evm_revert}) and grows again without
 * it. Every cached answer that depended on the replaced blocks must go: the balance, the block and
 * the receipt read again through Outlast match the new chain.
 */
class CacheReorgIT {

    private static final String RECIPIENT = "0x000000000000000000000000000000000000beef";

    @Test
    void aReorgEvictsEveryCachedAnswerOfTheReplacedBlocks() throws Exception {
        try (GanacheCluster cluster = GanacheCluster.start(1);
             JsonRpcClient node = new JsonRpcClient(cluster.nodeUri(0))) {
            for (int i = 0; i < 5; i++) {
                node.call("evm_mine");
            }
            ChainConfig chain = new ChainConfig("devnet", GanacheCluster.CHAIN_ID,
                    List.of(new UpstreamConfig("ganache", cluster.nodeUri(0))), Duration.ofSeconds(10),
                    Duration.ofMillis(100), Duration.ofSeconds(60), ChainConfig.DEFAULT_MAX_LAG_BLOCKS,
                    ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of());
            try (OutlastServer server = OutlastServer.start(new OutlastConfig(ServerConfig.of("127.0.0.1", 0),
                    List.of(chain)));
                 JsonRpcClient gateway = new JsonRpcClient(URI.create("http://127.0.0.1:" + server.port() + "/rpc/devnet"))) {
                Finality finality = server.chains().get("devnet").cacheFinality();
                String snapshot = node.call("evm_snapshot").asText();
                long forkPoint = node.blockNumber();

                DevAccount from = cluster.accounts().get(0);
                long nonce = node.quantity("eth_getTransactionCount", from.address(), "latest").longValueExact();
                String tx = node.call("eth_sendRawTransaction", SignedTransfers.eip1559(GanacheCluster.CHAIN_ID, from,
                        RECIPIENT, BigInteger.TEN.pow(18), nonce)).asText();
                long txBlock = forkPoint + 1;
                node.call("evm_mine");
                node.call("evm_mine");
                String oldHash = node.call("eth_getBlockByNumber", Quantity.format(txBlock), false).path("hash").asText();
                await().atMost(Duration.ofSeconds(20)).until(() -> oldHash.equals(finality.hashAt(txBlock))
                        && finality.hashAt(forkPoint + 3) != null);

                String block = Quantity.format(txBlock);
                Read balance = read(gateway, "eth_getBalance", "\"" + RECIPIENT + "\",\"" + block + "\"");
                Read receipt = read(gateway, "eth_getTransactionReceipt", "\"" + tx + "\"");
                Read header = read(gateway, "eth_getBlockByNumber", "\"" + block + "\",false");
                assertThat(List.of(balance.cache, receipt.cache, header.cache)).containsOnly("MISS");
                assertThat(new BigInteger(balance.result.asText().substring(2), 16)).isEqualTo(BigInteger.TEN.pow(18));
                assertThat(receipt.result.path("blockHash").asText()).isEqualTo(oldHash);
                assertThat(header.result.path("hash").asText()).isEqualTo(oldHash);
                for (Read again : List.of(read(gateway, "eth_getBalance", "\"" + RECIPIENT + "\",\"" + block + "\""),
                        read(gateway, "eth_getTransactionReceipt", "\"" + tx + "\""),
                        read(gateway, "eth_getBlockByNumber", "\"" + block + "\",false"))) {
                    assertThat(again.cache).isEqualTo("HIT");
                }

                // The reorg: back to before the transfer, then a longer chain without it.
                assertThat(node.call("evm_revert", snapshot).asBoolean()).isTrue();
                for (int i = 0; i < 4; i++) {
                    node.call("evm_mine");
                }
                String newHash = node.call("eth_getBlockByNumber", block, false).path("hash").asText();
                assertThat(newHash).isNotEqualTo(oldHash);
                await().atMost(Duration.ofSeconds(20)).until(() -> newHash.equals(finality.hashAt(txBlock)));
                await().atMost(Duration.ofSeconds(20)).until(() -> metrics(server).contains("outlast_reorgs_total"));

                Read balanceAfter = read(gateway, "eth_getBalance", "\"" + RECIPIENT + "\",\"" + block + "\"");
                Read receiptAfter = read(gateway, "eth_getTransactionReceipt", "\"" + tx + "\"");
                Read headerAfter = read(gateway, "eth_getBlockByNumber", "\"" + block + "\",false");
                assertThat(balanceAfter.cache).isEqualTo("MISS");
                assertThat(balanceAfter.result.asText()).isEqualTo(node.call("eth_getBalance", RECIPIENT, block).asText())
                        .isEqualTo("0x0");
                assertThat(receiptAfter.result.isNull()).as("the transfer is not on the new chain").isTrue();
                assertThat(headerAfter.result.path("hash").asText()).isEqualTo(newHash);
                String metrics = metrics(server);
                assertThat(metrics).contains("outlast_cache_evictions_total{cause=\"reorg\",chain=\"devnet\","
                        + "method=\"eth_getBalance\"} 1.0");
                assertThat(metrics).contains("outlast_cache_evictions_total{cause=\"reorg\",chain=\"devnet\","
                        + "method=\"eth_getTransactionReceipt\"} 1.0");
            }
        }
    }

    private record Read(JsonNode result, String cache) {
    }

    private static Read read(JsonRpcClient gateway, String method, String params) throws Exception {
        HttpResponse<String> response = gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method
                + "\",\"params\":[" + params + "]}");
        JsonNode body = JsonRpcClient.MAPPER.readTree(response.body());
        assertThat(body.has("error")).as("%s answered %s", method, body).isFalse();
        return new Read(body.get("result"), response.headers().firstValue("x-outlast-cache").orElse(null));
    }

    private static String metrics(OutlastServer server) throws Exception {
        try (JsonRpcClient client = new JsonRpcClient(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))) {
            return client.post("").body();
        }
    }
}
