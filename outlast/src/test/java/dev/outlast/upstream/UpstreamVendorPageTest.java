package dev.outlast.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.outlast.time.Ticker;
import dev.outlast.transport.FailureKind;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A 5xx is classified by {@link dev.outlast.attribution.Attributor}: vendor pages by vendor, others as bare 5xx. */
class UpstreamVendorPageTest {

    @RegisterExtension
    static final ServerExtension server = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.service("/cloudfront", (ctx, req) -> HttpResponse.builder()
                    .status(HttpStatus.BAD_GATEWAY)
                    .header("server", "CloudFront")
                    .header("x-cache", "Error from cloudfront")
                    .header("x-amz-cf-pop", "FRA56-P1")
                    .content(MediaType.HTML_UTF_8, "<TITLE>ERROR: The request could not be satisfied</TITLE>"
                            + "<H1>502 ERROR</H1><H2>The request could not be satisfied.</H2>")
                    .build());
            sb.service("/cloudflare-origin", (ctx, req) -> HttpResponse.builder()
                    .status(HttpStatus.BAD_GATEWAY)
                    .header("server", "cloudflare")
                    .header("cf-ray", "9a0b7e6d5c4b3a21-FRA")
                    .content(MediaType.PLAIN_TEXT_UTF_8, "upstream connect error or disconnect/reset before headers")
                    .build());
            sb.service("/netlify", (ctx, req) -> HttpResponse.builder()
                    .status(HttpStatus.BAD_GATEWAY)
                    .header("server", "Netlify")
                    .header("x-nf-request-id", "01JP7M3Q8R2S4T6V8W0X2Y4Z6A")
                    .content(MediaType.PLAIN_TEXT_UTF_8, "error decoding lambda response")
                    .build());
            sb.service("/nginx", (ctx, req) -> HttpResponse.builder()
                    .status(HttpStatus.BAD_GATEWAY)
                    .header("server", "nginx/1.24.0")
                    .content(MediaType.HTML_UTF_8, "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>")
                    .build());
        }
    };

    private static UpstreamReply call(String path) {
        Upstream upstream = new Upstream("alpha", URI.create(server.httpUri() + path), ClientFactory.ofDefault(),
                Ticker.system());
        return upstream.call("eth_blockNumber", JsonNodeFactory.instance.arrayNode(), Duration.ofSeconds(5)).join();
    }

    @Test
    void cloudFrontErrorPageIsAVendorPageNamedCloudfront() {
        UpstreamReply reply = call("/cloudfront");
        assertThat(reply.failure()).isEqualTo(FailureKind.VENDOR_PAGE);
        assertThat(reply.detail()).isEqualTo("cloudfront 502 at FRA56-P1");
    }

    @Test
    void anOriginErrorPassedThroughCloudflareSaysSoAndTheMonitorSeesTheOrigin() {
        UpstreamReply reply = call("/cloudflare-origin");
        assertThat(reply.failure()).isEqualTo(FailureKind.VENDOR_PAGE);
        assertThat(reply.detail()).isEqualTo("cloudflare 502 at FRA (origin error)");
        assertThat(reply.source()).isEqualTo(dev.outlast.attribution.Source.ORIGIN);
        dev.outlast.monitor.Observation seen = dev.outlast.monitor.Observation.of(reply);
        assertThat(seen.vendor()).isEqualTo(dev.outlast.attribution.Vendor.CLOUDFLARE);
        assertThat(seen.location()).isEqualTo("FRA");
        assertThat(seen.source()).isEqualTo(dev.outlast.attribution.Source.ORIGIN);
    }

    @Test
    void cloudFrontsOwnErrorPageIsGeneratedByTheVendor() {
        assertThat(call("/cloudfront").source()).isEqualTo(dev.outlast.attribution.Source.VENDOR);
    }

    @Test
    void netlify502IsAVendorPageEvenWhenTheSourceIsUnknown() {
        UpstreamReply reply = call("/netlify");
        assertThat(reply.failure()).isEqualTo(FailureKind.VENDOR_PAGE);
        assertThat(reply.detail()).isEqualTo("netlify 502");
        assertThat(dev.outlast.monitor.Observation.of(reply).source()).isEqualTo(dev.outlast.attribution.Source.UNKNOWN);
    }

    @Test
    void plainNginx502IsABare5xx() {
        UpstreamReply reply = call("/nginx");
        assertThat(reply.failure()).isEqualTo(FailureKind.HTTP_5XX);
        assertThat(reply.detail()).isEqualTo("HTTP 502");
    }
}
