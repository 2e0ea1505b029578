package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/** The JSON-RPC 2.0 surface: parsing, limits, batches, notifications, and Outlast's own errors. */
@BothPaths
class JsonRpcProtocolTest {

    /** This run's path; the tests share one gateway, started with it in {@link #start(ServerPath)}. */
    @Parameter
    private ServerPath path;

    private static FakeUpstream alpha;
    private static FakeUpstream beta;
    private static TestGateway gateway;

    @BeforeParameterizedClassInvocation
    static void start(ServerPath path) {
        alpha = FakeUpstream.honest();
        beta = FakeUpstream.honest();
        Map<String, java.net.URI> map = new LinkedHashMap<>();
        map.put("alpha", alpha.uri());
        map.put("beta", beta.uri());
        gateway = TestGateway.start(path, map);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        gateway.close();
        alpha.close();
        beta.close();
    }

    @Test
    void malformedJsonGetsParseError() {
        AggregatedHttpResponse res = gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        JsonNode body = TestGateway.json(res);
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(body.path("id").isNull()).isTrue();
        assertThat(res.contentUtf8()).doesNotContain("Exception").doesNotContain("at com.");
    }

    @Test
    void requestWithoutMethodIsInvalidAndKeepsItsId() {
        JsonNode body = TestGateway.json(gateway.post("{\"jsonrpc\":\"2.0\",\"id\":\"abc\"}"));
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(body.path("id").asText()).isEqualTo("abc");
    }

    @Test
    void wrongJsonRpcVersionIsInvalid() {
        JsonNode body = TestGateway.json(gateway.post("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"net_version\"}"));
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void emptyBatchIsOneInvalidRequestError() {
        JsonNode body = TestGateway.json(gateway.post("[]"));
        assertThat(body.isObject()).isTrue();
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void batchAnswersComeInRequestOrderWithTheirIds() {
        JsonNode body = TestGateway.json(gateway.post("["
                + "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"eth_chainId\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_getBalance\",\"params\":[\"0x00000000000000000000000000000000000000aa\"]},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"net_version\"},"
                + "{\"foo\":1},"
                + "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"net_version\"}]"));
        assertThat(body.isArray()).isTrue();
        assertThat(body.size()).isEqualTo(4);
        assertThat(body.get(0).path("id").asText()).isEqualTo("a");
        assertThat(body.get(0).path("result").asText()).isEqualTo("0x539");
        assertThat(body.get(1).path("id").asInt()).isEqualTo(2);
        assertThat(body.get(1).path("result").asText()).isEqualTo("0xde0b6b3a7640000");
        assertThat(body.get(2).path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(body.get(3).path("id").asInt()).isEqualTo(4);
        assertThat(body.get(3).path("result").asText()).isEqualTo("1337");
    }

    @Test
    void notificationGetsNoBody() {
        AggregatedHttpResponse res = gateway.post("{\"jsonrpc\":\"2.0\",\"method\":\"net_version\"}");
        assertThat(res.status().code()).isEqualTo(204);
        assertThat(res.contentUtf8()).isEmpty();
    }

    @Test
    void batchOverTheLimitIsRefusedWithTheLimit() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i)
                    .append(",\"method\":\"eth_chainId\"}");
        }
        JsonNode body = TestGateway.json(gateway.post(batch.append(']').toString()));
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32056);
        assertThat(body.path("error").path("data").path("limit").asInt()).isEqualTo(100);
    }

    @Test
    void deeplyNestedParamsAreRefused() {
        String deep = "[".repeat(100) + "]".repeat(100);
        JsonNode body = TestGateway.json(gateway.post(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":" + deep + "}"));
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32058);
        assertThat(body.path("error").path("data").path("reason").asText()).isEqualTo("too_deep");
    }

    @Test
    void oversizedBodyGets413WithAJsonRpcError() {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[\"" + "a".repeat(1_100_000) + "\"]}";
        AggregatedHttpResponse res = gateway.post(big);
        assertThat(res.status().code()).isEqualTo(413);
        assertThat(TestGateway.json(res).path("error").path("data").path("reason").asText())
                .isEqualTo("request_too_large");
    }

    @Test
    void unknownChainIs404WithTheKnownChains() {
        AggregatedHttpResponse res = gateway.post("/rpc/nope", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}");
        assertThat(res.status().code()).isEqualTo(404);
        JsonNode error = TestGateway.json(res).path("error");
        assertThat(error.path("data").path("reason").asText()).isEqualTo("unknown_chain");
        assertThat(error.path("data").path("chains").toString()).contains("devnet");
    }

    @Test
    void getOnTheRpcPathIs405() {
        assertThat(gateway.get("/rpc/devnet").status().code()).isEqualTo(405);
    }

    @Test
    void signingWithNodeKeysIsNotAllowed() {
        JsonNode error = gateway.call("eth_sendTransaction", "[{}]").path("error");
        assertThat(error.path("code").asInt()).isEqualTo(-32054);
        assertThat(error.path("data").path("reason").asText()).isEqualTo("method_not_allowed");
        assertThat(error.path("data").path("why").asText()).contains("eth_sendRawTransaction");
        assertThat(alpha.calls("eth_sendTransaction") + beta.calls("eth_sendTransaction")).isZero();
    }

    @Test
    void chainIdIsAnsweredFromTheVerifiedConfig() {
        AggregatedHttpResponse res = gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}");
        assertThat(TestGateway.json(res).path("result").asText()).isEqualTo("0x539");
        assertThat(res.headers().get("x-outlast-upstream")).isEqualTo("outlast");
    }

    @Test
    void unknownMethodAtEveryUpstreamIsReported() {
        JsonNode error = gateway.call("eth_noSuchMethod", "[]").path("error");
        assertThat(error.path("data").path("reason").asText()).isEqualTo("all_upstreams_failed");
        assertThat(error.path("data").path("upstreams").toString()).contains("does not exist");
    }

    /** {@code eth_chainId} posted by {@code client}, with an {@code Origin} header when {@code origin} is set. */
    private static AggregatedHttpResponse chainId(com.linecorp.armeria.client.WebClient client, String origin) {
        com.linecorp.armeria.common.RequestHeadersBuilder headers = com.linecorp.armeria.common.RequestHeaders.builder(
                com.linecorp.armeria.common.HttpMethod.POST, "/rpc/devnet")
                .contentType(com.linecorp.armeria.common.MediaType.JSON_UTF_8);
        if (origin != null) {
            headers.add("origin", origin);
        }
        return client.execute(headers.build(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}")
                .aggregate().join();
    }

    @Test
    void browserPreflightIsAnsweredAndOutlastHeadersAreExposed() {
        com.linecorp.armeria.client.WebClient client = com.linecorp.armeria.client.WebClient.of(
                "h1c://127.0.0.1:" + gateway.server().port());
        AggregatedHttpResponse preflight = client.execute(com.linecorp.armeria.common.RequestHeaders.builder(
                        com.linecorp.armeria.common.HttpMethod.OPTIONS, "/rpc/devnet")
                .add("origin", "https://app.example.com")
                .add("access-control-request-method", "POST")
                .add("access-control-request-headers", "content-type").build()).aggregate().join();
        assertThat(preflight.status().code()).isEqualTo(200);
        assertThat(preflight.headers().get("access-control-allow-origin")).isIn("*", "https://app.example.com");
        AggregatedHttpResponse res = chainId(client, "https://app.example.com");
        assertThat(TestGateway.json(res).path("result").asText()).isEqualTo("0x539");
        assertThat(res.headers().get("access-control-expose-headers")).contains("x-outlast-upstream");
        assertThat(res.headers().get("access-control-allow-origin")).isIn("*", "https://app.example.com");
        assertThat(res.headers().contentLength()).isEqualTo(res.content().length());
    }

    @Test
    void aRequestWithoutAnOriginGetsTheSameAnswerWithoutCorsHeaders() {
        com.linecorp.armeria.client.WebClient client = com.linecorp.armeria.client.WebClient.of(
                "h1c://127.0.0.1:" + gateway.server().port());
        AggregatedHttpResponse res = chainId(client, null);
        assertThat(TestGateway.json(res).path("result").asText()).isEqualTo("0x539");
        assertThat(res.headers().contentLength()).isEqualTo(res.content().length());
        assertThat(res.headers().names()).noneMatch(name -> name.toString().startsWith("access-control-"));
        AggregatedHttpResponse wrongMethod = client.get("/rpc/devnet").aggregate().join();
        assertThat(wrongMethod.status().code()).isEqualTo(405);
        assertThat(wrongMethod.headers().contentLength()).isEqualTo(wrongMethod.content().length());
        assertThat(TestGateway.json(wrongMethod).path("error").path("code").asInt()).isEqualTo(-32600);
    }
}
