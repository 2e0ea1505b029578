package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.VerifyConfig;
import dev.outlast.config.VerifyMode;
import dev.outlast.health.HealthState;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Receipts and transactions proven through the block's tries, over two in-process upstreams that
 * serve a block recorded from ganache (19 transactions, see {@code src/test/resources/verify}) and
 * its receipts; a lying one changes a field of every receipt or transaction it serves.
 */
@BothPaths
class BlockReadTest {

    @Parameter
    private ServerPath path;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectNode BLOCK = (ObjectNode) load("block-with-transactions.json");
    private static final JsonNode RECEIPTS = load("receipts.json");
    private static final String TX = BLOCK.get("transactions").get(5).get("hash").asText();

    /** A node holding only the recorded block; {@code lies} changes each receipt's status and each transaction's value. */
    private static final class RecordedNode implements AutoCloseable {
        final Server server;
        volatile boolean lies;
        /** Serves transaction 3 of the full block with a type this version does not know. */
        volatile boolean futureType;

        RecordedNode() {
            server = Server.builder().http(0).service("/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(
                    agg -> {
                        try {
                            return HttpResponse.of(MediaType.JSON_UTF_8, answer(JSON.readTree(agg.contentUtf8())).toString());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }))).build();
            server.start().join();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/");
        }

        private JsonNode answer(JsonNode request) {
            if (request.isArray()) {
                ArrayNode all = JSON.createArrayNode();
                request.forEach(r -> all.add(answer(r)));
                return all;
            }
            ObjectNode out = JSON.createObjectNode().put("jsonrpc", "2.0").set("id", request.get("id"));
            JsonNode p = request.path("params");
            switch (request.path("method").asText()) {
                case "eth_chainId" -> out.put("result", "0x539");
                case "eth_blockNumber" -> out.put("result", "0x1");
                case "eth_getBlockByNumber" -> {
                    String n = p.path(0).asText();
                    if (n.equals("0x1") || n.equals("latest") || n.equals("safe") || n.equals("finalized")) {
                        ObjectNode block = BLOCK.deepCopy();
                        if (!p.path(1).asBoolean()) {
                            ArrayNode hashes = JSON.createArrayNode();
                            BLOCK.get("transactions").forEach(tx -> hashes.add(tx.get("hash").asText()));
                            block.set("transactions", hashes);
                        } else if (lies) {
                            ((ObjectNode) block.get("transactions").get(5)).put("value", "0x0");
                        } else if (futureType) {
                            ((ObjectNode) block.get("transactions").get(3)).put("type", "0x7e");
                        }
                        out.set("result", block);
                    } else {
                        out.putNull("result");
                    }
                }
                case "eth_getTransactionReceipt" -> {
                    out.putNull("result");
                    RECEIPTS.forEach(r -> {
                        if (r.get("transactionHash").asText().equals(p.path(0).asText())) {
                            out.set("result", lies ? ((ObjectNode) r.deepCopy()).put("status", "0x0") : r);
                        }
                    });
                }
                case "eth_getTransactionByHash" -> {
                    out.putNull("result");
                    BLOCK.get("transactions").forEach(tx -> {
                        if (tx.get("hash").asText().equals(p.path(0).asText())) {
                            out.set("result", lies ? ((ObjectNode) tx.deepCopy()).put("value", "0x0") : tx);
                        }
                    });
                }
                default -> out.putObject("error").put("code", -32601)
                        .put("message", "the method " + request.path("method").asText() + " does not exist/is not available");
            }
            return out;
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    private final List<RecordedNode> nodes = List.of(new RecordedNode(), new RecordedNode());
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        nodes.forEach(RecordedNode::close);
    }

    private static JsonNode load(String name) {
        try (InputStream in = BlockReadTest.class.getResourceAsStream("/verify/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start() {
        Map<String, URI> upstreams = new LinkedHashMap<>();
        upstreams.put("alpha", nodes.get(0).uri());
        upstreams.put("beta", nodes.get(1).uri());
        gateway = TestGateway.start(path, TestGateway.chain(upstreams, c -> c.withVerify(VerifyConfig.of(VerifyMode.PROOFS))),
                2, CacheConfig.OFF);
    }

    private AggregatedHttpResponse ask(String method) {
        return gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":[\"" + TX + "\"]}");
    }

    @Test
    void aReceiptIsServedWhenTheBlocksReceiptsRebuildTheAgreedReceiptsRoot() {
        start();
        AggregatedHttpResponse res = ask("eth_getTransactionReceipt");
        assertThat(TestGateway.json(res).path("result")).as(res.contentUtf8()).isEqualTo(RECEIPTS.get(5));
        assertThat(res.headers().get("x-outlast-verified")).isEqualTo("proof");
    }

    @Test
    void aProviderThatFlipsReceiptStatusesIsQuarantinedAndTheTrueReceiptServed() {
        start();
        nodes.get(0).lies = true;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            AggregatedHttpResponse res = ask("eth_getTransactionReceipt");
            assertThat(TestGateway.json(res).path("result").path("status").asText()).as(res.contentUtf8())
                    .isEqualTo("0x1");
            assertThat(res.headers().get("x-outlast-verified")).isEqualTo("proof");
            assertThat(gateway.chain().upstreams().get(0).health().state()).isEqualTo(HealthState.QUARANTINED);
        });
    }

    @Test
    void aTransactionIsServedWhenTheBlockRebuildsTheAgreedTransactionsRoot() {
        start();
        nodes.get(0).lies = true;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            AggregatedHttpResponse res = ask("eth_getTransactionByHash");
            JsonNode tx = TestGateway.json(res).path("result");
            assertThat(tx).as(res.contentUtf8()).isEqualTo(BLOCK.get("transactions").get(5));
            assertThat(res.headers().get("x-outlast-verified")).isEqualTo("proof");
            assertThat(gateway.chain().upstreams().get(0).health().state()).isEqualTo(HealthState.QUARANTINED);
        });
    }

    @Test
    void whenEveryProviderLiesTheReadIsRefusedWithProofInvalid() {
        start();
        nodes.forEach(n -> n.lies = true);
        AggregatedHttpResponse res = ask("eth_getTransactionReceipt");
        assertThat(TestGateway.json(res).path("error").path("data").path("reason").asText()).as(res.contentUtf8())
                .isEqualTo("proof_invalid");
        assertThat(res.contentUtf8()).doesNotContain("\"status\"");
    }

    @Test
    void aBlockWithATransactionTypeNotKnownHereIsUnavailableAndNobodyIsQuarantined() {
        start();
        nodes.forEach(n -> n.futureType = true);
        AggregatedHttpResponse res = ask("eth_getTransactionByHash");
        assertThat(TestGateway.json(res).path("error").path("data").path("reason").asText()).as(res.contentUtf8())
                .isEqualTo("proof_unavailable");
        assertThat(res.contentUtf8()).contains("0x7e");
        assertThat(gateway.chain().upstreams()).allSatisfy(u -> assertThat(u.health().state())
                .isNotEqualTo(HealthState.QUARANTINED));
    }
}
