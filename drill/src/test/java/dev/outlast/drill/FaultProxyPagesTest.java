package dev.outlast.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.outlast.testing.JsonRpcClient;
import dev.outlast.testing.ProxiedChain;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Faults that answer with an HTTP error or a bad body, as a client sees them through the proxy. */
class FaultProxyPagesTest {

    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"}";
    private static final Pattern CF_RAY = Pattern.compile("([0-9a-f]{16})-FRA");

    @RegisterExtension
    final ProxiedChain env = new ProxiedChain();

    @Test
    void servesCloudflare522PageWithCloudflareHeadersAndRayId() throws Exception {
        env.proxy().setFault(Fault.cloudflare(522));

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(522);
        assertThat(response.headers().firstValue("server")).hasValue("cloudflare");
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/html"));
        String ray = response.headers().firstValue("cf-ray").orElseThrow();
        Matcher m = CF_RAY.matcher(ray);
        assertThat(m.matches()).as("cf-ray %s", ray).isTrue();
        assertThat(response.body())
                .contains("Connection timed out")
                .contains("Error code 522")
                .contains("Cloudflare Ray ID: <strong class=\"font-semibold\">" + m.group(1) + "</strong>")
                .contains("cloudflare.com");
    }

    @Test
    void servesCloudflare500AsTheShortPageOfTheNovemberIncident() throws Exception {
        env.proxy().setFault(Fault.cloudflare(500));

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("server")).hasValue("cloudflare");
        assertThat(response.headers().firstValue("cf-ray")).hasValueSatisfying(
                ray -> assertThat(ray).matches(CF_RAY));
        assertThat(response.body()).contains("<title>500 Internal Server Error</title>")
                .contains("<hr><center>cloudflare</center>");
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 520, 521, 523, 524, 525, 526, 530})
    void servesEveryCloudflareStatusWithItsOwnPage(int status) throws Exception {
        env.proxy().setFault(Fault.cloudflare(status));

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("server")).hasValue("cloudflare");
        assertThat(response.body()).containsIgnoringCase("cloudflare").contains(Integer.toString(status));
    }

    @Test
    void rejectsAStatusCloudflareDoesNotServe() {
        assertThatThrownBy(() -> Fault.cloudflare(418)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status: 418 (expected: one of 500, 502, 520..526, 530)");
    }

    @Test
    void servesAnyVendorsPageAsGiven() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("server", "CloudFront");
        headers.put("x-cache", "Error from cloudfront");
        headers.put("content-type", "text/html");
        env.proxy().setFault(Fault.http(504, headers, "<H1>504 Gateway Timeout ERROR</H1>"));

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("server")).hasValue("CloudFront");
        assertThat(response.headers().firstValue("x-cache")).hasValue("Error from cloudfront");
        assertThat(response.body()).isEqualTo("<H1>504 Gateway Timeout ERROR</H1>");
    }

    @Test
    void rateLimitsWith429AndRetryAfter() throws Exception {
        env.proxy().setFault(Fault.rateLimited(7));

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
    }

    @Test
    void errorRateOneFailsEveryRequestWithItsStatus() throws Exception {
        env.proxy().setFault(Fault.errorRate(1, 503));

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("upstream error: 503 Service Unavailable\n");
        }
    }

    @Test
    void errorRateFailsAboutItsFractionOfRequests() throws Exception {
        env.proxy().setFault(Fault.errorRate(0.3, 503));

        int failed = 0;
        for (int i = 0; i < 200; i++) {
            int status = env.viaProxy().post(BLOCK_NUMBER).statusCode();
            assertThat(status).isIn(200, 503);
            failed += status == 503 ? 1 : 0;
        }

        assertThat(failed).isBetween(40, 80);
    }

    @Test
    void errorRateZeroNeverFails() throws Exception {
        env.proxy().setFault(Fault.errorRate(0, 503));

        for (int i = 0; i < 20; i++) {
            assertThat(env.viaProxy().post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void latencyDelaysTheRealAnswer() throws Exception {
        env.proxy().setFault(Fault.latency(Duration.ofMillis(300), Duration.ofMillis(100)));

        long start = System.nanoTime();
        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(result(response)).isEqualTo("0x0");
        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(3_000));
    }

    @Test
    void latencyAddsToAnotherFault() throws Exception {
        env.proxy().setFaults(java.util.List.of(Fault.latency(Duration.ofMillis(200)), Fault.cloudflare(521)));

        long start = System.nanoTime();
        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(response.statusCode()).isEqualTo(521);
    }

    @Test
    void notJsonAnswers200WithHtml() throws Exception {
        env.proxy().setFault(Fault.notJson());

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("<html>");
        assertThatThrownBy(() -> JsonRpcClient.MAPPER.readTree(response.body()))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void truncatedAnswers200WithTheFirstHalfOfTheRealBody() throws Exception {
        String real = env.direct().post(BLOCK_NUMBER).body();
        env.proxy().setFault(Fault.truncated());

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(real.substring(0, real.length() / 2));
        assertThatThrownBy(() -> JsonRpcClient.MAPPER.readTree(response.body()))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void firstFiringTerminalFaultWins() throws Exception {
        env.proxy().setFaults(java.util.List.of(Fault.cloudflare(520).withP(0), Fault.rateLimited(1),
                Fault.cloudflare(522)));

        assertThat(env.viaProxy().post(BLOCK_NUMBER).statusCode()).isEqualTo(429);
    }

    private static String result(HttpResponse<String> response) throws JsonProcessingException {
        return JsonRpcClient.MAPPER.readTree(response.body()).path("result").asText();
    }
}
