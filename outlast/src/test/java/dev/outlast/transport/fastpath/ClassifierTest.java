package dev.outlast.transport.fastpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.RequestHeaders;
import dev.outlast.transport.HostMatcher;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who answers a request, decided from its head alone: no connection, no socket. */
class ClassifierTest {

    private static final String CHAIN = "the devnet chain";
    private static final String SITE = "the app site";

    private final Classifier<String, String> classifier = new Classifier<>(Map.of("devnet", CHAIN),
            HostMatcher.of(Map.of("app.example.com", SITE)), 4096);

    private static HttpRequest request(HttpMethod method, String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static HttpRequest call(String... extraHeaders) {
        HttpRequest request = request(HttpMethod.POST, "/rpc/devnet", "host", "127.0.0.1:8080",
                "content-type", "application/json", "content-length", "42");
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            request.headers().add(extraHeaders[i], extraHeaders[i + 1]);
        }
        return request;
    }

    private Route classify(HttpRequest request) {
        return classifier.classify(request);
    }

    @Test
    void aPlainCallIsAnsweredHereWithItsChainAndLength() {
        assertThat(classify(call())).isEqualTo(new Route.Rpc<>(CHAIN, 42, true));
        assertThat(classify(call("connection", "close"))).isEqualTo(new Route.Rpc<>(CHAIN, 42, false));
    }

    @Test
    void callsThisPathDoesNotTakeAreArmeriasAndCostNoRoute() {
        HttpRequest old = call();
        old.setProtocolVersion(HttpVersion.HTTP_1_0);
        HttpRequest broken = call();
        broken.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad")));
        HttpRequest twoLengths = call();
        twoLengths.headers().add("content-length", "42");
        HttpRequest noHost = call();
        noHost.headers().remove("host");
        HttpRequest twoHosts = call("host", "127.0.0.1");
        for (HttpRequest request : new HttpRequest[] {old, broken, twoLengths, noHost, twoHosts,
                call("transfer-encoding", "chunked"), call("expect", "100-continue"), call("upgrade", "websocket"),
                call("origin", "https://dapp.example"),
                request(HttpMethod.POST, "/rpc/nochain", "host", "127.0.0.1", "content-length", "2"),
                request(HttpMethod.POST, "/api/v1/upstreams", "host", "127.0.0.1", "content-length", "2"),
                request(HttpMethod.POST, "/rpc/devnet", "host", "127.0.0.1", "content-length", "4097"),
                request(HttpMethod.POST, "/rpc/devnet", "host", "127.0.0.1", "content-length", "12345678901"),
                request(HttpMethod.POST, "/rpc/devnet", "host", "127.0.0.1", "content-length", "-1"),
                request(HttpMethod.POST, "/rpc/devnet", "host", "127.0.0.1"),
                request(HttpMethod.GET, "/rpc/devnet", "host", "127.0.0.1"),
                request(HttpMethod.PUT, "/rpc/devnet", "host", "127.0.0.1", "content-length", "2")}) {
            assertThat(classify(request)).as(request.toString()).isSameAs(Route.Armeria.INSTANCE);
        }
    }

    @Test
    void aCallToASitesHostIsTheSitesByTheHostRule() {
        for (String host : new String[] {"app.example.com", "APP.example.com:80", "app.example.com."}) {
            HttpRequest request = request(HttpMethod.POST, "/rpc/devnet", "host", host, "content-length", "2");
            assertThat(classify(request)).as(host).isSameAs(Route.Armeria.INSTANCE);
        }
    }

    @Test
    void aSitesGetIsAnsweredHereWithTheHeadersArmeriaWouldMake() {
        Route route = classify(request(HttpMethod.GET, "/docs//a%7e.html?q=1&r=%2F", "host", "App.Example.Com.:8080",
                "x-forwarded-for", "203.0.113.7", "cookie", "a=1"));

        assertThat(route).isInstanceOf(Route.SiteRequest.class);
        Route.SiteRequest<?> site = (Route.SiteRequest<?>) route;
        assertThat(site.site()).isEqualTo(SITE);
        assertThat(site.keepAlive()).isTrue();
        assertThat(site.head()).isFalse();
        RequestHeaders headers = site.headers();
        assertThat(headers.method().name()).isEqualTo("GET");
        assertThat(headers.path()).isEqualTo("/docs/a~.html?q=1&r=%2F");
        assertThat(headers.authority()).isEqualTo("App.Example.Com.:8080");
        assertThat(headers.get("x-forwarded-for")).isEqualTo("203.0.113.7");
        assertThat(headers.get("cookie")).isEqualTo("a=1");
    }

    @Test
    void aSitesHeadIsAnsweredHere() {
        Route route = classify(request(HttpMethod.HEAD, "/page", "host", "app.example.com", "connection", "close"));
        assertThat(route).isInstanceOf(Route.SiteRequest.class);
        assertThat(((Route.SiteRequest<?>) route).head()).isTrue();
        assertThat(((Route.SiteRequest<?>) route).keepAlive()).isFalse();
    }

    @Test
    void siteRequestsThisPathDoesNotTakeAreArmerias() {
        for (HttpRequest request : new HttpRequest[] {
                request(HttpMethod.GET, "/page", "host", "other.example.com"),
                request(HttpMethod.GET, "/page", "host", "[::1]:8080"),
                request(HttpMethod.GET, "/page", "host", "app.example.com", "content-length", "0"),
                request(HttpMethod.GET, "/page", "host", "app.example.com", "cookie", "a=1", "cookie", "b=2"),
                request(HttpMethod.GET, "/page/../secret", "host", "app.example.com"),
                request(HttpMethod.GET, "http://app.example.com/page", "host", "app.example.com"),
                request(HttpMethod.GET, "*", "host", "app.example.com"),
                request(HttpMethod.OPTIONS, "/page", "host", "app.example.com"),
                request(HttpMethod.DELETE, "/page", "host", "app.example.com")}) {
            assertThat(classify(request)).as(request.toString()).isSameAs(Route.Armeria.INSTANCE);
        }
    }

    @Test
    void withoutSitesEveryGetIsArmerias() {
        Classifier<String, String> noSites = new Classifier<>(Map.of("devnet", CHAIN), HostMatcher.none(), 4096);
        assertThat(noSites.classify(request(HttpMethod.GET, "/page", "host", "app.example.com")))
                .isSameAs(Route.Armeria.INSTANCE);
        assertThat(noSites.classify(call())).isEqualTo(new Route.Rpc<>(CHAIN, 42, true));
    }
}
