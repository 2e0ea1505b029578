package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.outlast.config.HealthCheckConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.health.HealthState;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.ResettingOrigin;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import dev.outlast.testing.TestSite;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** Failover between a site's origins: what moves on, what never runs twice, and what the client sees. */
@BothPaths
class SiteFailoverTest {

    @Parameter
    private ServerPath path;

    private final FakeOrigin first = new FakeOrigin("first");
    private final FakeOrigin second = new FakeOrigin("second");
    private TestSite site;

    @AfterEach
    void close() {
        if (site != null) {
            site.close();
        }
        first.close();
        second.close();
    }

    @Test
    void postRunsExactlyOnceWhenFirstEdgeAnswersCloudflare521() {
        first.vendorPage("cloudflare-522.http", 521);
        site = TestSite.start(path, first.uri(), second.uri());

        AggregatedHttpResponse response = site.send(HttpMethod.POST, "/orders", "{\"buy\":1}",
                "content-type", "application/json");

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.contentUtf8()).isEqualTo("second POST /orders {\"buy\":1}");
        assertThat(response.headers().get("x-outlast-upstream")).isEqualTo("second");
        assertThat(first.received()).hasSize(1);
        assertThat(second.received()).hasSize(1);
        assertThat(second.received().get(0).body()).isEqualTo("{\"buy\":1}");
    }

    @Test
    void postThatReachedItsOriginBefore524IsNotRetried() {
        first.vendorPage("cloudflare-522.http", 524);
        site = TestSite.start(path, first.uri(), second.uri());

        AggregatedHttpResponse response = site.send(HttpMethod.POST, "/withdrawals", "{\"amount\":5}");

        assertThat(response.status().code()).isEqualTo(524);
        assertThat(response.contentUtf8()).contains("524");
        assertThat(response.headers().get("x-outlast-upstream")).isEqualTo("first");
        assertThat(response.headers().get("x-outlast-not-retried"))
                .contains("POST without Idempotency-Key after cloudflare 524");
        assertThat(second.received()).isEmpty();
    }

    @Test
    void postWithIdempotencyKeyMovesOnAfter524() {
        first.vendorPage("cloudflare-522.http", 524);
        site = TestSite.start(path, first.uri(), second.uri());

        AggregatedHttpResponse response = site.send(HttpMethod.POST, "/withdrawals", "{\"amount\":5}",
                "idempotency-key", "k-1");

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.contentUtf8()).isEqualTo("second POST /withdrawals {\"amount\":5}");
        assertThat(second.received().get(0).headers().get("idempotency-key")).isEqualTo("k-1");
    }

    @Test
    void getFailsOverOnPlain502() {
        first.status(502);
        site = TestSite.start(path, first.uri(), second.uri());

        AggregatedHttpResponse response = site.get("/prices?pair=eth-usd");

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.contentUtf8()).isEqualTo("second GET /prices?pair=eth-usd ");
        assertThat(first.received()).hasSize(1);
    }

    @Test
    void getFailsOverOnConnectionReset() throws IOException {
        try (ResettingOrigin resetting = new ResettingOrigin()) {
            site = TestSite.start(path, resetting.uri(), second.uri());

            AggregatedHttpResponse response = site.get("/prices");

            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.contentUtf8()).isEqualTo("second GET /prices ");
            assertThat(resetting.requests()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void postIsNotRetriedAfterAResetSinceTheOriginMayHaveRunIt() throws IOException {
        try (ResettingOrigin resetting = new ResettingOrigin()) {
            site = TestSite.start(path, resetting.uri(), second.uri());

            AggregatedHttpResponse response = site.send(HttpMethod.POST, "/orders", "{\"buy\":1}");

            assertThat(response.status().code()).isEqualTo(502);
            JsonNode error = TestGateway.json(response).path("error");
            assertThat(error.path("reason").asText()).isEqualTo("not_retried");
            assertThat(error.path("origins").get(0).path("failure").asText()).isEqualTo("reset");
            assertThat(response.headers().get("x-outlast-not-retried")).contains("may have received it");
            assertThat(second.received()).isEmpty();
        }
    }

    @Test
    void postMovesOnWhenTheFirstOriginRefusesTheConnection() throws IOException {
        URI closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        site = TestSite.start(path, closed, second.uri());

        AggregatedHttpResponse response = site.send(HttpMethod.POST, "/orders", "{\"buy\":2}");

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.contentUtf8()).isEqualTo("second POST /orders {\"buy\":2}");
    }

    @Test
    void everyOriginFailingGivesTheLastErrorPageWithItsOrigin() {
        first.status(503);
        second.vendorPage("cloudflare-522.http", 522);
        site = TestSite.start(path, first.uri(), second.uri());

        AggregatedHttpResponse response = site.get("/");

        assertThat(response.status().code()).isEqualTo(522);
        assertThat(response.headers().get("x-outlast-upstream")).isEqualTo("second");
        assertThat(response.headers().get("cf-ray")).isEqualTo("8d1f2c3b4a5e6f70-FRA");
    }

    @Test
    void aFailedOriginIsDemotedBehindHealthyOnesByLiveTraffic() {
        first.status(502);
        site = TestSite.start(path, first.uri(), second.uri());
        assertThat(site.get("/a").contentUtf8()).startsWith("second");
        assertThat(first.received()).hasSize(1);
        assertThat(site.site().origins().get(0).health().state()).isEqualTo(HealthState.DEGRADED);

        for (int i = 0; i < 3; i++) {
            assertThat(site.get("/a").contentUtf8()).startsWith("second");
        }
        assertThat(first.received()).hasSize(1);
    }

    @Test
    void consecutiveFailuresOpenTheCircuitOfAnOriginServingErrors() {
        first.status(502);
        second.status(503);
        site = TestSite.start(path, first.uri(), second.uri()).awaitOriginsUsable();
        for (int i = 0; i < 3; i++) {
            site.get("/a");
        }
        assertThat(site.site().origins()).allSatisfy(o -> assertThat(o.health().state()).isEqualTo(HealthState.DOWN));
        JsonNode origin = TestGateway.json(site.gateway("/api/v1/sites")).path("sites").get(0).path("origins").get(0);
        assertThat(origin.path("state").asText()).isEqualTo("down");
        assertThat(origin.path("usable").asBoolean()).isFalse();
        assertThat(site.gateway("/readyz").status().code()).isEqualTo(503);
    }

    @Test
    void apiAndMetricsNameTheVendorOfRecentFailures() {
        first.vendorPage("cloudflare-522.http", 521);
        site = TestSite.start(path, first.uri(), second.uri());
        site.get("/");

        JsonNode sites = TestGateway.json(site.gateway("/api/v1/sites")).path("sites");
        assertThat(sites.get(0).path("id").asText()).isEqualTo("app");
        assertThat(sites.get(0).path("host").asText()).isEqualTo("app.test");
        JsonNode origin = sites.get(0).path("origins").get(0);
        assertThat(origin.path("name").asText()).isEqualTo("first");
        JsonNode failure = origin.path("recentFailures").get(0);
        assertThat(failure.path("kind").asText()).isEqualTo("vendor_page");
        assertThat(failure.path("status").asInt()).isEqualTo(521);
        assertThat(failure.path("vendor").asText()).isEqualTo("cloudflare");
        assertThat(failure.path("generatedBy").asText()).isEqualTo("vendor");
        assertThat(failure.path("location").asText()).isEqualTo("FRA");
        assertThat(failure.path("notReceived").asBoolean()).isTrue();
        assertThat(sites.get(0).path("origins").get(1).path("state").asText()).isEqualTo("healthy");

        String metrics = site.gateway("/metrics").contentUtf8();
        assertThat(metrics).containsPattern(
                "outlast_site_failovers_total\\{origin=\"first\",site=\"app\",vendor=\"cloudflare\"} 1\\.0");
        assertThat(metrics).containsPattern("outlast_site_origin_requests_total\\{origin=\"first\",outcome="
                                            + "\"vendor_page\",site=\"app\",vendor=\"cloudflare\"} 1\\.0");
        assertThat(metrics).containsPattern("outlast_site_requests_total\\{outcome=\"ok\",site=\"app\"} 1\\.0");
    }

    @Test
    void activeChecksMarkAnOriginDownAndUpAgain() {
        site = TestSite.start(path, Map.of("only", first.uri()),
                s -> s.withHealthCheck(new HealthCheckConfig("/ready", Duration.ofMillis(50), Duration.ofSeconds(1),
                                                             204)));
        await().untilAsserted(() -> assertThat(site.site().origins().get(0).health().state()).isEqualTo(HealthState.DOWN));
        JsonNode origin = TestGateway.json(site.gateway("/api/v1/sites")).path("sites").get(0).path("origins").get(0);
        assertThat(origin.path("state").asText()).isEqualTo("down");
        assertThat(origin.path("recentFailures").get(0).path("detail").asText())
                .isEqualTo("health check got HTTP 200 (expected 204)");

        first.handler(req -> HttpResponse.of(HttpStatus.NO_CONTENT));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(site.site().origins().get(0).health().isUsable()).isTrue());
    }

    private void startWith(Duration responseTimeout, long retryBufferBytes) {
        Map<String, URI> origins = new java.util.LinkedHashMap<>();
        origins.put("first", first.uri());
        origins.put("second", second.uri());
        site = TestSite.start(path, origins, s -> new SiteConfig(s.id(), s.host(), s.origins(), s.healthCheck(),
                responseTimeout, s.staleIfError(), s.staleWhileRevalidate(), retryBufferBytes, s.cacheBytes()));
    }

    @Test
    void getMovesOnAfterATimeout() {
        first.handler(req -> HttpResponse.delayed(HttpResponse.of("late"), Duration.ofSeconds(5)));
        startWith(Duration.ofMillis(500), SiteConfig.DEFAULT_RETRY_BUFFER_BYTES);

        assertThat(site.get("/slow").contentUtf8()).isEqualTo("second GET /slow ");
        assertThat(first.received()).hasSize(1);
    }

    @Test
    void postIsNotRetriedAfterATimeoutOnceSent() {
        first.handler(req -> HttpResponse.delayed(HttpResponse.of("late"), Duration.ofSeconds(5)));
        startWith(Duration.ofMillis(500), SiteConfig.DEFAULT_RETRY_BUFFER_BYTES);

        AggregatedHttpResponse post = site.send(HttpMethod.POST, "/slow", "pay");
        assertThat(post.status().code()).isEqualTo(504);
        JsonNode error = TestGateway.json(post).path("error");
        assertThat(error.path("reason").asText()).isEqualTo("not_retried");
        assertThat(error.path("origins").get(0).path("failure").asText()).isEqualTo("timeout");
        assertThat(first.received()).hasSize(1);
        assertThat(second.received()).isEmpty();
    }

    @Test
    void aBodyLongerThanTheRetryBufferIsNotSentTwice() {
        first.status(502);
        startWith(SiteConfig.DEFAULT_RESPONSE_TIMEOUT, 16);

        AggregatedHttpResponse response = site.send(HttpMethod.PUT, "/files/1", "x".repeat(4096),
                "idempotency-key", "k-2");

        assertThat(response.status().code()).isEqualTo(502);
        assertThat(response.headers().get("x-outlast-not-retried"))
                .isEqualTo("request body longer than the retry buffer (16 bytes)");
        assertThat(first.received().get(0).body()).hasSize(4096);
        assertThat(second.received()).isEmpty();

        AggregatedHttpResponse small = site.send(HttpMethod.PUT, "/files/2", "tiny", "idempotency-key", "k-3");
        assertThat(small.contentUtf8()).isEqualTo("second PUT /files/2 tiny");
    }
}
