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
                new InetSocketAddress("::1", 1234), true);

        assertThat(out.get("x-forwarded-for")).isEqualTo("198.51.100.1, 198.51.100.2, 0:0:0:0:0:0:0:1");
        assertThat(out.get("x-forwarded-proto")).isEqualTo("https");
        assertThat(out.get("x-forwarded-host")).isEqualTo("app.example.com");
        assertThat(out.authority()).isEqualTo("origin.example:8443");
        assertThat(out.path()).isEqualTo("/base/p");
        assertThat(out.contains("proxy-connection")).isFalse();
    }
}
