package dev.outlast.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.time.Ticker;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A probe through one CDN path: sent to the edge's address while the steered hostname is the
 * {@code Host}, the SNI and the certificate's name; each answer or failure classified by whose fault it is.
 */
class PathProbeTest {

    private static final String HOSTNAME = "www.example.com";
    private static final String CF_522 = "<html><head><title>www.example.com | 522: Connection timed out</title>"
            + "</head><body><span>Cloudflare Ray ID: 8d1f2c3b4a5e6f70</span></body></html>";

    /** What the edge saw: "SNI|authority|path". */
    private static final List<String> seen = new CopyOnWriteArrayList<>();

    @RegisterExtension
    @Order(0)
    static final SelfSignedCertificateExtension certificate = new SelfSignedCertificateExtension(HOSTNAME);

    @RegisterExtension
    @Order(1)
    static final SelfSignedCertificateExtension otherName = new SelfSignedCertificateExtension("edge.example.net");

    @RegisterExtension
    @Order(2)
    static final ServerExtension edge = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.http(0).https(0).tls(certificate.tlsKeyPair());
            sb.service("glob:/**", (ctx, req) -> {
                String sni = ctx.sslSession() instanceof ExtendedSSLSession s && !s.getRequestedServerNames().isEmpty()
                        ? ((SNIHostName) s.getRequestedServerNames().get(0)).getAsciiName() : "-";
                seen.add(sni + "|" + req.authority() + "|" + req.path());
                return switch (ctx.path()) {
                    case "/cf-522" -> HttpResponse.of(ResponseHeaders.builder(522).contentType(MediaType.HTML_UTF_8)
                            .add("cf-ray", "8d1f2c3b4a5e6f70-FRA").add("server", "cloudflare").build(),
                            com.linecorp.armeria.common.HttpData.ofUtf8(CF_522));
                    case "/origin-503" -> HttpResponse.of(ResponseHeaders.builder(503)
                            .add("cf-ray", "8d1f2c3b4a5e6f70-AMS").add("server", "cloudflare").build());
                    case "/plain-500" -> HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR);
                    case "/slow" -> HttpResponse.delayed(HttpResponse.of(HttpStatus.OK), Duration.ofSeconds(5));
                    default -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok");
                };
            });
        }
    };

    @RegisterExtension
    @Order(3)
    static final ServerExtension wrongCertificate = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.https(0).tls(otherName.tlsKeyPair());
            sb.service("/", (ctx, req) -> HttpResponse.of(HttpStatus.OK));
        }
    };

    private static ClientFactory trusting;

    @BeforeAll
    static void trustBothCertificates() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("www", certificate.certificate());
        store.setCertificateEntry("other", otherName.certificate());
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        trusting = ClientFactory.builder().tlsCustomizer(b -> b.trustManager(trust)).build();
    }

    @AfterAll
    static void close() {
        trusting.close();
    }

    @Test
    void sendsHostAndSniOfTheSteeredHostnameToTheEdgesAddress() {
        seen.clear();
        ProbeResult result = probe("https://www.example.com/health?deep=1", "127.0.0.1:" + edge.httpsPort());

        assertThat(result.verdict()).as(result.detail()).isEqualTo(PathVerdict.PASS);
        assertThat(result.detail()).isEqualTo("HTTP 200");
        assertThat(seen).containsExactly("www.example.com|www.example.com|/health?deep=1");
    }

    @Test
    void aCertificateForAnotherNameIsThePathsFault() {
        ProbeResult result = probe("https://www.example.com/", "127.0.0.1:" + wrongCertificate.httpsPort());

        assertThat(result.verdict()).isEqualTo(PathVerdict.PATH);
        assertThat(result.failure()).isEqualTo("tls");
        assertThat(result.detail()).startsWith("TLS with 127.0.0.1:" + wrongCertificate.httpsPort() + " failed: ");
    }

    @Test
    void aCloudflareErrorPageIsThePathsFault() {
        ProbeResult result = probe("http://www.example.com/cf-522", "127.0.0.1:" + edge.httpPort());

        assertThat(result.verdict()).isEqualTo(PathVerdict.PATH);
        assertThat(result.failure()).isEqualTo("vendor_page");
        assertThat(result.detail()).isEqualTo("HTTP 522, Cloudflare (edge) at FRA");
        assertThat(result.vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(result.source()).isEqualTo(Source.VENDOR);
        assertThat(result.observation().vendor()).isEqualTo(Vendor.CLOUDFLARE);
    }

    @Test
    void anOriginErrorPassedThroughIsTheOriginsAndAPlainErrorIsUnattributed() {
        ProbeResult origin = probe("http://www.example.com/origin-503", "127.0.0.1:" + edge.httpPort());
        ProbeResult plain = probe("http://www.example.com/plain-500", "127.0.0.1:" + edge.httpPort());

        assertThat(origin.verdict()).as(origin.detail()).isEqualTo(PathVerdict.ORIGIN);
        assertThat(origin.detail()).isEqualTo("HTTP 503, origin behind Cloudflare (via AMS)");
        assertThat(plain.verdict()).isEqualTo(PathVerdict.UNATTRIBUTED);
        assertThat(plain.detail()).isEqualTo("HTTP 500, vendor unknown");
    }

    @Test
    void aRefusedConnectionAndAMissedDeadlineAreThePathsFault() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ProbeResult refused = probe("http://www.example.com/", "127.0.0.1:" + closed);
        ProbeResult slow = probe("http://www.example.com/slow", "127.0.0.1:" + edge.httpPort(), Duration.ofMillis(500));

        assertThat(refused.verdict()).isEqualTo(PathVerdict.PATH);
        assertThat(refused.detail()).isEqualTo("connection to 127.0.0.1:" + closed + " refused");
        assertThat(slow.verdict()).isEqualTo(PathVerdict.PATH);
        assertThat(slow.failure()).isEqualTo("timeout");
        assertThat(slow.detail()).isEqualTo("no answer within 500 ms");
        assertThat(slow.latencyMs()).isBetween(400.0, 3000.0);
    }

    @Test
    void anUnresolvableEdgeIsThePathsFault() {
        ProbeResult result = probe("http://www.example.com/", "edge.invalid");

        assertThat(result.verdict()).isEqualTo(PathVerdict.PATH);
        assertThat(result.detail()).isEqualTo("cannot resolve edge.invalid:80");
    }

    private static ProbeResult probe(String url, String connectTo) {
        return probe(url, connectTo, Duration.ofSeconds(3));
    }

    private static ProbeResult probe(String url, String connectTo, Duration timeout) {
        int colon = connectTo.lastIndexOf(':');
        String host = colon < 0 ? connectTo : connectTo.substring(0, colon);
        int port = colon < 0 ? 0 : Integer.parseInt(connectTo.substring(colon + 1));
        FrontDoorConfig.Target target = FrontDoorConfig.Target.cname("cf", "cloudflare", host,
                new FrontDoorConfig.Probe(URI.create(url), host, port, null, timeout));
        PathProbe probe = new PathProbe(target, FrontDoorConfig.Steering.DEFAULT, trusting,
                CommonPools.blockingTaskExecutor(), Ticker.system());
        return probe.run().join();
    }
}
