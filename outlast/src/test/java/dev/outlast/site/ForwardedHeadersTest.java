package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

    @Test
    void headersNamedInConnectionAreDroppedFromResponses() {
        ResponseHeaders in = ResponseHeaders.builder(HttpStatus.OK).add("connection", "close, X-Internal")
                .add("x-internal", "1").add("transfer-encoding", "chunked").add("trailer", "x-sum")
                .add("upgrade", "h2c").add("x-app", "v").build();

        ResponseHeaders out = ForwardedHeaders.toClient(in, "x-outlast-upstream", "a");

        assertThat(out.names()).extracting(Object::toString)
                .containsExactlyInAnyOrder(":status", "x-app", "x-outlast-upstream");
    }

    @Test
    void forwardedForIsAppendedAndIpv6WrittenPlain() {
        RequestHeaders in = RequestHeaders.builder(HttpMethod.GET, "/p").authority("app.example.com")
                .add("x-forwarded-for", "198.51.100.1").add("x-forwarded-for", "198.51.100.2")
                .add("proxy-connection", "keep-alive").build();

        RequestHeaders out = ForwardedHeaders.toOrigin(in, "/base/p", "origin.example:8443",
                new Client(null, new InetSocketAddress("::1", 1234), true));

        assertThat(out.get("x-forwarded-for")).isEqualTo("198.51.100.1, 198.51.100.2, 0:0:0:0:0:0:0:1");
        assertThat(out.get("x-forwarded-proto")).isEqualTo("https");
        assertThat(out.get("x-forwarded-host")).isEqualTo("app.example.com");
        assertThat(out.authority()).isEqualTo("origin.example:8443");
        assertThat(out.path()).isEqualTo("/base/p");
        assertThat(out.contains("proxy-connection")).isFalse();
    }

    @Test
    void theDirectClientsOneCopyCarriesTheSameFieldsAsTheRewrittenHeaders() {
        RequestHeaders in = RequestHeaders.builder(HttpMethod.GET, "/p?q=1").authority("app.example.com")
                .add("connection", "keep-alive, X-Hop").add("x-hop", "1").add("keep-alive", "timeout=5")
                .add("proxy-authorization", "secret").add("te", "trailers").add("upgrade", "h2c")
                .add("x-forwarded-for", "198.51.100.1").add("x-forwarded-for", "198.51.100.2")
                .add("x-forwarded-proto", "ftp").add("x-forwarded-host", "evil.example")
                .add("cookie", "a=1; b=2").add("accept", "text/html").add("accept", "application/json")
                .add("user-agent", "wrk").build();
        Client client = new Client(null, new InetSocketAddress("203.0.113.9", 4444), false);

        RequestHeaders rewritten = ForwardedHeaders.toOrigin(in, "/base/p?q=1", "origin.example:8443", client);
        io.netty.handler.codec.http.HttpHeaders direct = new io.netty.handler.codec.http.DefaultHttpHeaders();
        ForwardedHeaders.toOrigin(in, "origin.example:8443", client, direct);

        java.util.List<String> expected = new java.util.ArrayList<>();
        expected.add("host: origin.example:8443");
        rewritten.forEach((name, value) -> {
            if (name.byteAt(0) != ':') {
                expected.add(name + ": " + value);
            }
        });
        java.util.List<String> actual = new java.util.ArrayList<>();
        direct.forEach(h -> actual.add(h.getKey() + ": " + h.getValue()));
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected).contains(
                "host: origin.example:8443", "x-forwarded-for: 198.51.100.1, 198.51.100.2, 203.0.113.9",
                "x-forwarded-proto: http", "x-forwarded-host: app.example.com", "cookie: a=1; b=2",
                "accept: text/html", "accept: application/json", "user-agent: wrk");
        assertThat(actual).noneMatch(h -> h.startsWith("x-hop") || h.startsWith("keep-alive")
                || h.startsWith("proxy-") || h.startsWith("te:") || h.startsWith("upgrade") || h.startsWith("connection"));
    }
}
