package dev.outlast.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.testing.JsonRpcClient;
import dev.outlast.testing.ProxiedChain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The control API under /_drill/ and the request observer hook. */
class FaultProxyControlTest {

    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"}";

    @RegisterExtension
    final ProxiedChain env = new ProxiedChain();

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeClient() {
        http.close();
    }

    @Test
    void putReplacesTheFaultsAndTheProxyAppliesThem() throws Exception {
        HttpResponse<String> put = control("PUT", "[{\"type\":\"cloudflare\",\"status\":521}]");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(env.proxy().faults()).containsExactly(Fault.cloudflare(521));
        assertThat(env.viaProxy().post(BLOCK_NUMBER).statusCode()).isEqualTo(521);
    }

    @Test
    void getListsTheFaultsSetFromJava() throws Exception {
        env.proxy().setFaults(List.of(Fault.lag(3), Fault.errorRate(0.25, 503)));

        HttpResponse<String> get = control("GET", null);

        assertThat(get.statusCode()).isEqualTo(200);
        JsonNode faults = JsonRpcClient.MAPPER.readTree(get.body());
        assertThat(faults).hasSize(2);
        assertThat(faults.get(0).path("type").asText()).isEqualTo("lag");
        assertThat(faults.get(0).path("blocks").asInt()).isEqualTo(3);
        assertThat(faults.get(1).path("type").asText()).isEqualTo("error_rate");
        assertThat(faults.get(1).path("p").asDouble()).isEqualTo(0.25);
    }

    @Test
    void deleteClearsTheFaults() throws Exception {
        env.proxy().setFault(Fault.reset());

        assertThat(control("DELETE", null).statusCode()).isEqualTo(204);

        assertThat(env.proxy().faults()).isEmpty();
        assertThat(env.viaProxy().post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
    }

    @Test
    void putRejectsABadFaultNamingIt() throws Exception {
        HttpResponse<String> put = control("PUT", "[{\"type\":\"reset\"},{\"type\":\"cloudflare\",\"status\":418}]");

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(JsonRpcClient.MAPPER.readTree(put.body()).path("error").asText())
                .isEqualTo("[1].status: 418 (expected: one of 500, 502, 520..526, 530)");
        assertThat(env.proxy().faults()).isEmpty();
    }

    @Test
    void controlRequestsAreNotForwardedNorFaulted() throws Exception {
        env.proxy().setFault(Fault.blackHole());

        assertThat(control("GET", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", env.proxy().uri().resolve("/_drill/other"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void observersSeeEachForwardedRequestBeforeTheClientGetsItsAnswer() throws Exception {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        env.proxy().onRequest(seen::add);

        env.viaProxy().call("eth_chainId");
        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst().path("method").asText()).isEqualTo("eth_chainId");

        env.proxy().setFault(Fault.cloudflare(522));
        env.viaProxy().post(BLOCK_NUMBER);
        assertThat(seen).hasSize(1);
    }

    @Test
    void socketsAreStalledReleasedAndClosedThroughTheApi() throws Exception {
        java.util.concurrent.BlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket ws = http.newWebSocketBuilder().buildAsync(env.proxy().wsUri(),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w,
                                                                           CharSequence data, boolean last) {
                        messages.add(data.toString());
                        w.request(1);
                        return null;
                    }

                    @Override
                    public void onError(java.net.http.WebSocket w, Throwable error) {
                        closed.complete("error: " + error);
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code,
                                                                            String reason) {
                        closed.complete("closed " + code);
                        return null;
                    }
                }).get();
        ws.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]}", true);
        assertThat(messages.poll(5, java.util.concurrent.TimeUnit.SECONDS)).contains("\"result\":\"0x");

        HttpResponse<String> stall = send("PUT", env.proxy().uri().resolve("/_drill/sockets"),
                "{\"stalled\": true, \"delayMs\": 0}");
        assertThat(stall.statusCode()).isEqualTo(200);
        assertThat(JsonRpcClient.MAPPER.readTree(stall.body()).path("stalled").asBoolean()).isTrue();
        assertThat(JsonRpcClient.MAPPER.readTree(stall.body()).path("open").asInt()).isEqualTo(1);
        env.chain().mine();
        assertThat(messages.poll(400, java.util.concurrent.TimeUnit.MILLISECONDS)).as("held while stalled").isNull();
        send("PUT", env.proxy().uri().resolve("/_drill/sockets"), "{\"stalled\": false}");
        assertThat(messages.poll(5, java.util.concurrent.TimeUnit.SECONDS)).contains("eth_subscription");

        HttpResponse<String> bad = send("PUT", env.proxy().uri().resolve("/_drill/sockets"), "{\"stall\": true}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JsonRpcClient.MAPPER.readTree(bad.body()).path("error").asText())
                .isEqualTo("stall: unknown key (expected one of: stalled, delayMs)");

        HttpResponse<String> close = send("POST", env.proxy().uri().resolve("/_drill/sockets/close"), null);
        assertThat(close.body()).isEqualTo("{\"closed\":1}");
        assertThat(closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
    }

    private HttpResponse<String> control(String method, String body) throws Exception {
        return send(method, env.proxy().uri().resolve("/_drill/faults"), body);
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
