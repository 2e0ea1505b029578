package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.FakeUpstream.Mode;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** Health, readiness, metrics and the admin API; and that API keys never leak through them. */
@BothPaths
class OperationsTest {

    @Parameter
    private ServerPath path;

    private static final String KEY = "9f3c1e7a2b6d4f8e0a1c3e5b7d9f2a4c";
    private final FakeUpstream alpha = FakeUpstream.honest();
    private final FakeUpstream beta = FakeUpstream.honest();
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        alpha.close();
        beta.close();
    }

    private void start() {
        Map<String, URI> map = new LinkedHashMap<>();
        map.put("alpha", URI.create(alpha.uri() + "v3/" + KEY));
        map.put("beta", URI.create(beta.uri() + "rpc?apikey=" + KEY));
        gateway = TestGateway.start(path, map);
    }

    @Test
    void healthAndReadiness() {
        start();
        assertThat(gateway.get("/healthz").status().code()).isEqualTo(200);
        AggregatedHttpResponse ready = gateway.get("/readyz");
        assertThat(ready.status().code()).isEqualTo(200);
        assertThat(TestGateway.json(ready).path("chains").path("devnet").asText()).isEqualTo("ready");
        alpha.mode(new Mode.Cloudflare(522));
        beta.mode(new Mode.Cloudflare(522));
        await().untilAsserted(() -> assertThat(gateway.get("/readyz").status().code()).isEqualTo(503));
        assertThat(gateway.get("/healthz").status().code()).isEqualTo(200);
    }

    @Test
    void upstreamsApiShowsStateReasonHeadAndLatencyWithKeysRedacted() {
        start();
        alpha.mode(new Mode.Cloudflare(522));
        await().untilAsserted(() -> assertThat(upstream("alpha").path("state").asText()).isEqualTo("down"));
        JsonNode a = upstream("alpha");
        assertThat(a.path("reason").asText()).contains("cloudflare 522");
        assertThat(a.path("url").asText()).endsWith("/v3/***").doesNotContain(KEY);
        assertThat(a.path("lastFailure").path("kind").asText()).isEqualTo("vendor_page");
        JsonNode b = upstream("beta");
        assertThat(b.path("state").asText()).isEqualTo("healthy");
        assertThat(b.path("url").asText()).endsWith("/rpc?apikey=***");
        assertThat(b.path("head").asLong()).isEqualTo(100);
        assertThat(b.path("latencyMs").asDouble()).isPositive();
        assertThat(gateway.get("/api/v1/upstreams").contentUtf8()).doesNotContain(KEY);
    }

    @Test
    void metricsCountRequestsFailoversAndStatesWithoutSecrets() {
        start();
        for (int i = 0; i < 5; i++) {
            gateway.call("eth_getBalance", "[\"0x00000000000000000000000000000000000000aa\",\"latest\"]");
        }
        alpha.mode(new Mode.Cloudflare(522));
        for (int i = 0; i < 5; i++) {
            gateway.call("net_version", "[]");
        }
        // alpha's 522 reaches the metrics through a call or its next head poll (net_version is cached
        // after one call, which may have gone to beta).
        await().untilAsserted(() -> assertThat(gateway.get("/metrics").contentUtf8()).contains(
                "outlast_upstream_requests_total{chain=\"devnet\",outcome=\"vendor_page\",upstream=\"alpha\"}"));
        String metrics = gateway.get("/metrics").contentUtf8();
        assertThat(metrics).contains("outlast_requests_total{chain=\"devnet\",method=\"eth_getBalance\",outcome=\"ok\"} 5.0");
        assertThat(metrics).contains("outlast_request_duration_seconds_bucket{chain=\"devnet\",method=\"eth_getBalance\"");
        assertThat(metrics).contains("outlast_upstream_state{chain=\"devnet\",state=\"healthy\",upstream=\"beta\"} 1.0");
        assertThat(metrics).contains("outlast_upstream_requests_total{chain=\"devnet\",outcome=\"vendor_page\",upstream=\"alpha\"}");
        assertThat(metrics).contains("outlast_chain_head_block{chain=\"devnet\"} 100.0");
        // beta answered the calls on a kept-alive connection (head polls and calls share them)
        assertThat(metrics).containsPattern("outlast_upstream_connections\\{chain=\"devnet\",upstream=\"beta\"} [1-9]");
        assertThat(metrics).doesNotContain(KEY);
    }

    @Test
    void statusPageShowsEveryUpstreamStateWithoutJavascriptOrSecrets() {
        start();
        alpha.mode(new Mode.Cloudflare(522));
        await().untilAsserted(() -> assertThat(upstream("alpha").path("state").asText()).isEqualTo("down"));
        AggregatedHttpResponse page = gateway.get("/status");
        assertThat(page.status().code()).isEqualTo(200);
        assertThat(page.headers().contentType().toString()).startsWith("text/html");
        String html = page.contentUtf8();
        assertThat(html).contains("<h2>devnet").contains("alpha").contains("beta")
                .contains("class=\"badge down\">down").contains("class=\"badge healthy\">healthy")
                .contains("cloudflare 522").contains("/v3/***")
                .contains("<noscript><meta http-equiv=\"refresh\"")
                .doesNotContain(KEY).doesNotContain("<script src");
        // Everything above is in the HTML itself; the one inline script only adds live updates.
        assertThat(html.indexOf("<script")).isGreaterThan(html.indexOf("class=\"badge healthy\">healthy"));
    }

    private JsonNode upstream(String name) {
        JsonNode body = TestGateway.json(gateway.get("/api/v1/upstreams"));
        for (JsonNode u : body.path("chains").get(0).path("upstreams")) {
            if (u.path("name").asText().equals(name)) {
                return u;
            }
        }
        throw new AssertionError("no upstream " + name + " in " + body);
    }
}
