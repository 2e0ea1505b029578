package dev.outlast.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import dev.outlast.attribution.Attribution;
import dev.outlast.attribution.Attributor;
import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.drill.Fault.EdgePage.Edge;
import dev.outlast.testing.ProxiedChain;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The error pages of CloudFront, AWS load balancers, Fastly and Akamai, and tail latency, as a
 * client pointed directly at the faulted provider sees them; the pages are what Outlast's vendor
 * attribution recognises as the vendor's own.
 */
class FaultProxyEdgePagesTest {

    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"}";

    @RegisterExtension
    final ProxiedChain env = new ProxiedChain();

    @ParameterizedTest
    @CsvSource({"502", "503", "504"})
    void servesCloudFrontErrorPageGeneratedAtTheEdge(int status) throws Exception {
        env.proxy().setFault(Fault.edge(Edge.CLOUDFRONT, status));

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("x-cache")).hasValue("Error from cloudfront");
        assertThat(response.headers().firstValue("server")).hasValue("CloudFront");
        assertThat(response.headers().firstValue("via")).hasValueSatisfying(
                v -> assertThat(v).matches("1\\.1 [0-9a-f]{32}\\.cloudfront\\.net \\(CloudFront\\)"));
        String id = response.headers().firstValue("x-amz-cf-id").orElseThrow();
        assertThat(response.body()).contains("<H1>" + status + " ERROR</H1>")
                .contains("The request could not be satisfied").contains("Request ID: " + id);
        assertThat(attribute(response)).isEqualTo(new Attribution(Vendor.CLOUDFRONT, Source.VENDOR, "FRA56-P1",
                "CloudFront \"request could not be satisfied\" page"));
    }

    @ParameterizedTest
    @CsvSource({"502, Bad Gateway", "503, Service Temporarily Unavailable", "504, Gateway Time-out"})
    void servesAwsLoadBalancerPageWithAwselbServer(int status, String reason) throws Exception {
        env.proxy().setFault(Fault.edge(Edge.AWS_ELB, status));

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("server")).hasValue("awselb/2.0");
        assertThat(response.body()).contains("<center><h1>" + status + " " + reason + "</h1></center>");
        assertThat(attribute(response).vendor()).isEqualTo(Vendor.AWS_ELB);
        assertThat(attribute(response).signature()).isEqualTo("server: awselb + {status} ELB page"
                .replace("{status}", Integer.toString(status)));
    }

    @Test
    void servesFastly503GuruMeditationWithCacheNodeHeaders() throws Exception {
        env.proxy().setFault(Fault.edge(Edge.FASTLY, 503));

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("x-served-by")).hasValue("cache-fra-etou8220154-FRA");
        assertThat(response.headers().firstValue("via")).hasValue("1.1 varnish");
        assertThat(response.headers().firstValue("x-timer")).hasValueSatisfying(
                t -> assertThat(t).matches("S\\d+\\.\\d+,VS0,VE\\d+"));
        assertThat(response.body()).contains("<h1>Error 503 Backend is unhealthy</h1>").contains("Guru Mediation");
        assertThat(attribute(response)).isEqualTo(new Attribution(Vendor.FASTLY, Source.VENDOR, "FRA",
                "Fastly Guru Meditation page"));
    }

    @ParameterizedTest
    @CsvSource({"503", "504", "502", "500"})
    void servesAkamaiReferencePageWithAkamaiGHostServer(int status) throws Exception {
        env.proxy().setFault(Fault.edge(Edge.AKAMAI, status));

        HttpResponse<String> response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("server")).hasValue("AkamaiGHost");
        assertThat(response.body()).containsPattern("Reference&#32;&#35;11&#46;[0-9a-f]+&#46;\\d+&#46;[0-9a-f]+");
        assertThat(attribute(response)).isEqualTo(new Attribution(Vendor.AKAMAI, Source.VENDOR, null,
                "AkamaiGHost + Reference # page"));
    }

    @Test
    void refusesAStatusTheEdgeDoesNotWriteItself() {
        assertThatThrownBy(() -> Fault.edge(Edge.AWS_ELB, 500)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status: 500 (expected: one of 502, 503, 504)");
    }

    @Test
    void latencyDistributionDelaysAroundItsMedianWithALongTail() throws Exception {
        env.proxy().setFault(Fault.latency(new Fault.LatencyDistribution.Percentiles(
                Duration.ofMillis(100), Duration.ofMillis(400))));

        List<Long> took = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            long start = System.nanoTime();
            assertThat(env.viaProxy().post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
            took.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(took);

        assertThat(took.get(took.size() / 2)).as("median of %s", took).isBetween(50L, 1_000L);
        assertThat(took.getFirst()).as("fastest of %s", took).isLessThan(took.getLast());
    }

    @Test
    void latencyDistributionSamplesHaveTheGivenPercentiles() {
        var fault = new Fault.LatencyDistribution(Duration.ofMillis(200), Duration.ofMillis(2_000), 1);
        SplittableRandom random = new SplittableRandom(7);
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            samples.add(fault.sample(random).toMillis());
        }
        Collections.sort(samples);

        assertThat(samples.get(10_000)).isBetween(180L, 220L);
        assertThat(samples.get(19_800)).isBetween(1_700L, 2_300L);
    }

    private static Attribution attribute(HttpResponse<String> response) {
        HttpHeadersBuilder headers = HttpHeaders.builder();
        response.headers().map().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        return Attributor.attribute(response.statusCode(), headers.build(), response.body());
    }
}
