package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import dev.outlast.testing.TestSite;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** What the proxy does to headers, and that it only takes the requests of its host. */
@BothPaths
class SiteHeadersTest {

    @Parameter
    private ServerPath path;

    private final FakeOrigin origin = new FakeOrigin("origin");
    private TestSite site;

    @AfterEach
    void close() {
        if (site != null) {
            site.close();
        }
        origin.close();
    }

    private void start(String originPath) {
        site = TestSite.start(path, Map.of("origin", URI.create(origin.uri() + originPath)));
    }

    @Test
    void hopByHopHeadersAreDroppedAndForwardedHeadersSet() {
        start("");
        site.get("/x?y=1", "connection", "x-hop", "x-hop", "secret", "keep-alive", "timeout=5",
                 "proxy-authorization", "Basic abc", "te", "trailers", "x-forwarded-for", "203.0.113.7",
                 "x-end-to-end", "kept");

        RequestHeaders got = origin.received().get(0).headers();
        assertThat(got.path()).isEqualTo("/x?y=1");
        assertThat(got.contains("x-hop")).isFalse();
        assertThat(got.contains("keep-alive")).isFalse();
        assertThat(got.contains("proxy-authorization")).isFalse();
        assertThat(got.get("te")).isNull();
        assertThat(got.get("x-end-to-end")).isEqualTo("kept");
        assertThat(got.get("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(got.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(got.get("x-forwarded-host")).isEqualTo(TestSite.HOST);
        assertThat(got.authority()).isEqualTo(origin.uri().getAuthority());
    }

    @Test
    void hopByHopResponseHeadersAreDropped() {
        start("");
        origin.handler(req -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                .add("proxy-authenticate", "Basic")
                .add("keep-alive", "timeout=5").add("x-app", "v").build(), HttpData.ofUtf8("ok")));

        AggregatedHttpResponse response = site.get("/");

        assertThat(response.headers().get("x-app")).isEqualTo("v");
        assertThat(response.headers().contains("proxy-authenticate")).isFalse();
        assertThat(response.headers().contains("keep-alive")).isFalse();
        assertThat(response.headers().get("x-outlast-upstream")).isEqualTo("origin");
    }

    @Test
    void originPathPrefixIsKeptAndEveryMethodPasses() {
        start("/base/");
        for (HttpMethod method : new HttpMethod[] {HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE,
                                                   HttpMethod.OPTIONS}) {
            assertThat(site.send(method, "/items/1", "b").status().code()).isEqualTo(200);
        }
        assertThat(site.send(HttpMethod.HEAD, "/items/1", null).status().code()).isEqualTo(200);
        assertThat(origin.received()).filteredOn(r -> !r.headers().path().endsWith("/health"))
                .extracting(r -> r.headers().method() + " " + r.headers().path())
                .containsExactly("PUT /base/items/1", "PATCH /base/items/1", "DELETE /base/items/1",
                                 "OPTIONS /base/items/1", "HEAD /base/items/1");
    }

    @Test
    void otherHostsStillReachTheGateway() {
        start("");
        assertThat(site.gateway("/healthz").contentUtf8()).isEqualTo("ok\n");
        assertThat(site.gateway("/readyz").status().code()).isEqualTo(200);
        assertThat(TestGateway.json(site.gateway("/readyz")).path("sites").path("app").asText()).isEqualTo("ready");
        assertThat(site.gateway("/metrics").status().code()).isEqualTo(200);
        assertThat(site.gateway("/api/v1/sites").status().code()).isEqualTo(200);
        assertThat(origin.received()).filteredOn(r -> !r.headers().path().equals("/health")).isEmpty();

        assertThat(site.get("/healthz").contentUtf8()).isEqualTo("origin GET /healthz ");
        assertThat(site.get("/metrics", "host", "APP.TEST:8080").contentUtf8()).isEqualTo("origin GET /metrics ");
    }
}
