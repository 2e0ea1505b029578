package dev.outlast.monitor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import dev.outlast.attribution.Vendor;
import dev.outlast.config.ProbeConfig;
import dev.outlast.monitor.Observation;
import dev.outlast.time.Ticker;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every probe type against real local servers. */
class ProbesTest {

    private static Server server;
    private static ClientFactory factory;
    private static ExecutorService blocking;
    private static volatile long headTimestamp;

    @BeforeAll
    static void start() {
        server = Server.builder().http(0).https(0).tlsSelfSigned()
                .service("/health", (ctx, req) -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                        .contentType(MediaType.JSON_UTF_8).add("x-region", "eu-west-1").build(),
                        HttpData.ofUtf8("{\"status\":\"ok\",\"queue\":{\"depth\":\"0x10\"}}")))
                .service("/cf", (ctx, req) -> HttpResponse.of(ResponseHeaders.builder(502)
                        .contentType(MediaType.HTML_UTF_8).add("server", "cloudflare")
                        .add("cf-ray", "8d1f2c3b4a5e6f70-AMS").build(),
                        HttpData.ofUtf8("<html><title>502 Bad gateway</title>Cloudflare Ray ID: 8d1f2c3b4a5e6f70</html>")))
                .service("/slow", (ctx, req) -> HttpResponse.delayed(HttpResponse.of("late"), Duration.ofSeconds(3)))
                .service("/rpc", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
                    String body = agg.contentUtf8();
                    if (body.contains("eth_getBalance")) {
                        return HttpResponse.of(MediaType.JSON_UTF_8, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x0\"}");
                    }
                    if (body.contains("eth_nope")) {
                        return HttpResponse.of(MediaType.JSON_UTF_8,
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"method not found\"}}");
                    }
                    return HttpResponse.of(MediaType.JSON_UTF_8, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"number\":\"0x10\","
                            + "\"timestamp\":\"0x" + Long.toHexString(headTimestamp) + "\"}}");
                })))
                .build();
        server.start().join();
        factory = ClientFactory.insecure();
        blocking = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.stop().join();
        blocking.shutdown();
        blocking.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static ProbeConfig probe(ProbeConfig.Type type, String path, Map<String, String> headers,
                                     List<ProbeConfig.Condition> conditions, String method, Duration maxLatency) {
        URI url = path == null ? null : URI.create("http://127.0.0.1:" + server.activeLocalPort() + path);
        return new ProbeConfig("p", type, url, "127.0.0.1", server.activeLocalPort(), Duration.ofSeconds(30),
                Duration.ofSeconds(1), 200, maxLatency, headers, conditions, method, "[\"latest\",false]",
                Duration.ofDays(1), null);
    }

    private static Observation run(ProbeConfig config) {
        return Probes.create(config, factory, blocking, Ticker.system(), Clock.systemUTC()).run().join();
    }

    private static ProbeConfig.Condition cond(String path, ProbeConfig.Op op, String value) {
        return new ProbeConfig.Condition(path, op, value);
    }

    @Test
    void httpChecksStatusHeadersAndBodyConditions() {
        assertThat(run(probe(ProbeConfig.Type.HTTP, "/health", Map.of("x-region", "eu-"),
                List.of(cond("/status", ProbeConfig.Op.EQUALS, "ok"), cond("queue.depth", ProbeConfig.Op.LESS_THAN, "100")),
                null, Duration.ofSeconds(2))).ok()).isTrue();

        Observation header = run(probe(ProbeConfig.Type.HTTP, "/health", Map.of("x-region", "us-"), List.of(), null, null));
        assertThat(header.failure()).isEqualTo("header");
        assertThat(header.detail()).isEqualTo("header x-region is \"eu-west-1\", expected it to contain us-");

        Observation body = run(probe(ProbeConfig.Type.HTTP, "/health", Map.of(),
                List.of(cond("queue.depth", ProbeConfig.Op.LESS_THAN, "0x10")), null, null));
        assertThat(body.failure()).isEqualTo("condition");
        assertThat(body.detail()).isEqualTo("queue.depth is 16, expected less than 0x10");
    }

    @Test
    void httpAttributesAVendorErrorPage() {
        Observation o = run(probe(ProbeConfig.Type.HTTP, "/cf", Map.of(), List.of(), null, null));
        assertThat(o.ok()).isFalse();
        assertThat(o.vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(o.location()).isEqualTo("AMS");
        assertThat(o.detail()).isEqualTo("cloudflare 502 at AMS");
    }

    @Test
    void httpTimesOut() {
        Observation o = run(probe(ProbeConfig.Type.HTTP, "/slow", Map.of(), List.of(), null, null));
        assertThat(o.failure()).isEqualTo("timeout");
    }

    @Test
    void jsonRpcChecksHeadAgeAndBalance() {
        headTimestamp = Instant.now().getEpochSecond() - 5;
        ProbeConfig fresh = probe(ProbeConfig.Type.JSONRPC, "/rpc", Map.of(),
                List.of(cond("result.timestamp", ProbeConfig.Op.AGE_BELOW, "60000")), "eth_getBlockByNumber", null);
        assertThat(run(fresh).ok()).isTrue();
        headTimestamp = Instant.now().getEpochSecond() - 600;
        Observation stale = run(fresh);
        assertThat(stale.failure()).isEqualTo("condition");
        assertThat(stale.detail()).matches("result.timestamp is 6\\d\\d s old, expected under 60 s");

        Observation zero = run(probe(ProbeConfig.Type.JSONRPC, "/rpc", Map.of(),
                List.of(cond("result", ProbeConfig.Op.NOT_EQUALS, "0")), "eth_getBalance", null));
        assertThat(zero.ok()).isFalse();
        assertThat(zero.detail()).isEqualTo("result is 0");

        Observation error = run(probe(ProbeConfig.Type.JSONRPC, "/rpc", Map.of(), List.of(), "eth_nope", null));
        assertThat(error.failure()).isEqualTo("node_error");
        assertThat(error.detail()).isEqualTo("JSON-RPC error -32601: method not found");
    }

    @Test
    void tcpConnectsOrFails() throws Exception {
        assertThat(run(probe(ProbeConfig.Type.TCP, null, Map.of(), List.of(), null, null)).ok()).isTrue();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ProbeConfig refused = new ProbeConfig("p", ProbeConfig.Type.TCP, null, "127.0.0.1", closed,
                Duration.ofSeconds(30), Duration.ofSeconds(1), 200, null, Map.of(), List.of(), null, "[]",
                Duration.ofDays(1), null);
        Observation o = run(refused);
        assertThat(o.failure()).isEqualTo("connect");
        assertThat(o.detail()).contains("ConnectException");
    }

    @Test
    void tlsReportsACertificateCloseToExpiry() {
        ProbeConfig ok = new ProbeConfig("p", ProbeConfig.Type.TLS, null, "127.0.0.1", server.activeLocalPort(
                com.linecorp.armeria.common.SessionProtocol.HTTPS), Duration.ofSeconds(30), Duration.ofSeconds(2), 200,
                null, Map.of(), List.of(), null, "[]", Duration.ofDays(1), null);
        assertThat(run(ok).ok()).isTrue();
        ProbeConfig strict = new ProbeConfig("p", ProbeConfig.Type.TLS, null, "127.0.0.1", ok.port(),
                Duration.ofSeconds(30), Duration.ofSeconds(2), 200, null, Map.of(), List.of(), null, "[]",
                Duration.ofDays(3_650_000), null);
        Observation o = run(strict);
        assertThat(o.failure()).isEqualTo("tls_expiry");
        assertThat(o.detail()).startsWith("certificate expires at ").contains("minimum 3650000");
    }

    @Test
    void dnsResolvesOrFails() {
        ProbeConfig local = new ProbeConfig("p", ProbeConfig.Type.DNS, null, "localhost", -1, Duration.ofSeconds(30),
                Duration.ofSeconds(2), 200, null, Map.of(), List.of(), null, "[]", Duration.ofDays(1), null);
        assertThat(run(local).ok()).isTrue();
        ProbeConfig missing = new ProbeConfig("p", ProbeConfig.Type.DNS, null, "no-such-host.invalid", -1,
                Duration.ofSeconds(30), Duration.ofSeconds(2), 200, null, Map.of(), List.of(), null, "[]",
                Duration.ofDays(1), null);
        Observation o = run(missing);
        assertThat(o.failure()).isEqualTo("dns");
        assertThat(o.detail()).isEqualTo("no-such-host.invalid does not resolve");
    }
}
