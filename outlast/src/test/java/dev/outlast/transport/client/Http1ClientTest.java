package dev.outlast.transport.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import dev.outlast.testing.RawHttp;
import dev.outlast.transport.FailureKind;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JSON-RPC upstream client against real servers: well-behaved, slow, cut off, and over TLS. */
class Http1ClientTest {

    private static final byte[] CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final String ANSWER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\"}";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What the servers saw: "remote port|host|authorization|path|content-type|body". */
    private static final List<String> seen = new CopyOnWriteArrayList<>();

    @RegisterExtension
    @Order(0)
    static final SelfSignedCertificateExtension certificate = new SelfSignedCertificateExtension("localhost");

    @RegisterExtension
    @Order(1)
    static final ServerExtension server = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.http(0);
            sb.https(0);
            sb.tls(certificate.tlsKeyPair());
            sb.service("glob:/**", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(body -> {
                seen.add(ctx.remoteAddress().getPort() + "|" + req.headers().authority() + "|"
                        + req.headers().get("authorization") + "|" + req.path() + "|" + req.headers().contentType()
                        + "|" + body.contentUtf8());
                if (ctx.path().startsWith("/close")) {
                    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8)
                            .add("connection", "close").build(), com.linecorp.armeria.common.HttpData.ofUtf8(ANSWER));
                }
                if (ctx.path().startsWith("/busy")) {
                    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
                            .add("retry-after", "7").build());
                }
                if (ctx.path().startsWith("/pause")) {
                    return HttpResponse.delayed(HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, ANSWER),
                            Duration.ofMillis(200));
                }
                if (ctx.path().startsWith("/slow")) {
                    return HttpResponse.delayed(HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, ANSWER),
                            Duration.ofSeconds(3));
                }
                return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, ANSWER);
            })));
        }
    };

    @RegisterExtension
    @Order(2)
    static final SelfSignedCertificateExtension otherName = new SelfSignedCertificateExtension("upstream.example");

    @RegisterExtension
    @Order(3)
    static final ServerExtension elsewhere = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.https(0);
            sb.tls(otherName.tlsKeyPair());
            sb.service("/", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, ANSWER));
        }
    };

    private static Http1Client client(String url) {
        return new Http1Client(URI.create(url), ClientFactory.ofDefault());
    }

    private static FailureKind failureOf(CompletableFuture<?> call) {
        Throwable thrown = catchThrowable(call::join);
        assertThat(thrown).isInstanceOf(CompletionException.class).hasCauseInstanceOf(CallFailure.class);
        return ((CallFailure) thrown.getCause()).kind();
    }

    @Test
    @SuppressWarnings("try") // closes the client inside the block to see its connection closed
    void postsJsonToThePathWithTheHostAndKeepsTheConnectionForTheNextCall() {
        seen.clear();
        try (Http1Client client = client(server.httpUri() + "/v3/key?x=1")) {
            Http1Client.Reply first = client.post(CALL, TIMEOUT).join();
            Http1Client.Reply second = client.post(CALL, TIMEOUT).join();
            assertThat(first.status()).isEqualTo(200);
            assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo(ANSWER);
            assertThat(second.headers().get("content-type")).startsWith("application/json");
            assertThat(seen).hasSize(2);
            String[] one = seen.get(0).split("\\|", -1);
            assertThat(one[1]).isEqualTo("127.0.0.1:" + server.httpPort());
            assertThat(one[2]).isEqualTo("null");
            assertThat(one[3]).isEqualTo("/v3/key?x=1");
            assertThat(one[4]).startsWith("application/json");
            assertThat(one[5]).isEqualTo(new String(CALL, StandardCharsets.UTF_8));
            assertThat(seen.get(1).split("\\|")[0]).as("same connection (client port)").isEqualTo(one[0]);
            assertThat(client.openConnections()).isEqualTo(1);
            client.close();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(client.openConnections()).isZero());
        }
    }

    @Test
    void anAnswerThatClosesTheConnectionIsNotFollowedOnIt() {
        seen.clear();
        try (Http1Client client = client(server.httpUri() + "/close")) {
            assertThat(client.post(CALL, TIMEOUT).join().status()).isEqualTo(200);
            assertThat(client.post(CALL, TIMEOUT).join().status()).isEqualTo(200);
            assertThat(seen).hasSize(2);
            assertThat(seen.get(1).split("\\|")[0]).isNotEqualTo(seen.get(0).split("\\|")[0]);
        }
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthorization() {
        seen.clear();
        try (Http1Client client = client("http://user:p%40ss@127.0.0.1:" + server.httpPort() + "/")) {
            client.post(CALL, TIMEOUT).join();
            assertThat(seen.get(0).split("\\|")[2]).isEqualTo("Basic dXNlcjpwQHNz"); // user:p@ss
        }
    }

    @Test
    void anHttpErrorIsAnAnswerWithItsHeaders() {
        try (Http1Client client = client(server.httpUri() + "/busy")) {
            Http1Client.Reply reply = client.post(CALL, TIMEOUT).join();
            assertThat(reply.status()).isEqualTo(429);
            assertThat(reply.headers().get("retry-after")).isEqualTo("7");
        }
    }

    @Test
    void noAnswerWithinTheTimeoutIsATimeoutAndTheNextCallGetsAFreshConnection() {
        seen.clear();
        try (Http1Client client = client(server.httpUri() + "/slow")) {
            long start = System.nanoTime();
            assertThat(failureOf(client.post(CALL, Duration.ofMillis(300)))).isEqualTo(FailureKind.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(client.post(CALL, TIMEOUT).join().status()).isEqualTo(200);
            assertThat(seen).hasSize(2);
            assertThat(seen.get(1).split("\\|")[0]).isNotEqualTo(seen.get(0).split("\\|")[0]);
        }
    }

    @Test
    void callsBeyondTheConnectionLimitWaitForAConnectionAndTimeOutIfNoneFreesUp() {
        seen.clear();
        // one event loop, at most one connection on it: three calls at once take turns on it
        try (ClientFactory oneLoop = ClientFactory.builder().workerGroup(1).build();
             Http1Client client = new Http1Client(URI.create(server.httpUri() + "/pause"), oneLoop, null,
                     Http1Client.MAX_RESPONSE_BYTES, 1)) {
            List<CompletableFuture<Http1Client.Reply>> calls = List.of(client.post(CALL, TIMEOUT),
                    client.post(CALL, TIMEOUT), client.post(CALL, TIMEOUT));
            // and one that cannot get the connection within its timeout
            CompletableFuture<Http1Client.Reply> hurried = client.post(CALL, Duration.ofMillis(100));
            assertThat(failureOf(hurried)).isEqualTo(FailureKind.TIMEOUT);
            calls.forEach(c -> assertThat(c.join().status()).isEqualTo(200));
            assertThat(seen).hasSize(3);
            assertThat(seen.stream().map(line -> line.split("\\|")[0]).distinct()).hasSize(1);
        }
    }

    @Test
    void nothingListeningIsAConnectFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (Http1Client client = client("http://127.0.0.1:" + port + "/")) {
            assertThat(failureOf(client.post(CALL, TIMEOUT))).isEqualTo(FailureKind.CONNECT);
        }
    }

    @Test
    void aNameThatDoesNotResolveIsAConnectFailureThatSaysSo() {
        try (Http1Client client = client("http://no-such-host.invalid:8545/")) {
            CompletableFuture<Http1Client.Reply> call = client.post(CALL, TIMEOUT);
            assertThat(failureOf(call)).isEqualTo(FailureKind.CONNECT);
            assertThat(catchThrowable(call::join).getCause()).hasMessageContaining("cannot resolve no-such-host.invalid");
        }
    }

    @Test
    void aConnectionCutInTheMiddleOfTheAnswerIsAReset() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Http1Client client = client("http://127.0.0.1:" + raw.getLocalPort() + "/")) {
            CompletableFuture<Http1Client.Reply> call = client.post(CALL, TIMEOUT);
            RawHttp.answer(raw, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":1,\"res").close();
            assertThat(failureOf(call)).isEqualTo(FailureKind.RESET);
        }
    }

    @Test
    void anAnswerWithoutALengthEndsWhenTheConnectionCloses() throws Exception {
        // HTTP/1.0 style, as some old proxies answer: no content-length, the body runs to the close
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Http1Client client = client("http://127.0.0.1:" + raw.getLocalPort() + "/")) {
            CompletableFuture<Http1Client.Reply> call = client.post(CALL, TIMEOUT);
            RawHttp.answer(raw, "HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n" + ANSWER).close();
            Http1Client.Reply reply = call.join();
            assertThat(reply.status()).isEqualTo(200);
            assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo(ANSWER);
        }
    }

    @Test
    void aLargerAnswerThanAllowedIsAReset() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Http1Client client = new Http1Client(URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/"),
                     ClientFactory.ofDefault(), null, 1024, 8)) {
            CompletableFuture<Http1Client.Reply> call = client.post(CALL, TIMEOUT);
            Socket answered = RawHttp.answer(raw, "HTTP/1.1 200 OK\r\ncontent-length: 4096\r\n\r\n" + "\0".repeat(4096));
            try (answered) {
                assertThat(failureOf(call)).isEqualTo(FailureKind.RESET);
                assertThat(catchThrowable(call::join).getCause()).hasMessageContaining("larger than 1024 bytes");
            }
        }
    }

    @Test
    void cancellingACallClosesItsConnection() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Http1Client client = client("http://127.0.0.1:" + raw.getLocalPort() + "/")) {
            CompletableFuture<Http1Client.Reply> call = client.post(CALL, TIMEOUT);
            try (Socket s = RawHttp.answer(raw, "")) {
                call.cancel(false);
                assertThat(RawHttp.nextByte(s)).as("end of stream: the client closed").isEqualTo(-1);
            }
        }
    }

    @Test
    void callsAfterCloseFail() {
        Http1Client client = client(server.httpUri() + "/");
        client.post(CALL, TIMEOUT).join();
        client.close();
        CompletableFuture<Http1Client.Reply> call = client.post(CALL, TIMEOUT);
        assertThat(failureOf(call)).isEqualTo(FailureKind.CONNECT);
    }

    @Test
    void tlsToATrustedCertificateWithTheRightNameWorks() throws Exception {
        try (Http1Client client = new Http1Client(URI.create("https://localhost:" + server.httpsPort() + "/"),
                ClientFactory.ofDefault(), RawHttp.trusting(certificate), Http1Client.MAX_RESPONSE_BYTES, 8)) {
            assertThat(client.post(CALL, TIMEOUT).join().status()).isEqualTo(200);
        }
    }

    @Test
    void tlsToAnUntrustedCertificateIsAConnectFailureThatSaysWhy() {
        try (Http1Client client = client("https://localhost:" + server.httpsPort() + "/")) {
            CompletableFuture<Http1Client.Reply> call = client.post(CALL, TIMEOUT);
            assertThat(failureOf(call)).isEqualTo(FailureKind.CONNECT);
            assertThat(catchThrowable(call::join).getCause()).hasMessageContaining("TLS handshake with localhost failed");
        }
    }

    @Test
    void tlsToATrustedCertificateForAnotherNameIsRefused() throws Exception {
        // trusted, but issued to upstream.example, not to localhost: a provider's certificate on the wrong host
        try (Http1Client client = new Http1Client(URI.create("https://localhost:" + elsewhere.httpsPort() + "/"),
                ClientFactory.ofDefault(), RawHttp.trusting(otherName), Http1Client.MAX_RESPONSE_BYTES, 8)) {
            CompletableFuture<Http1Client.Reply> call = client.post(CALL, TIMEOUT);
            assertThat(failureOf(call)).isEqualTo(FailureKind.CONNECT);
            assertThat(catchThrowable(call::join).getCause()).hasMessageContaining("TLS handshake with localhost failed");
        }
    }
}
