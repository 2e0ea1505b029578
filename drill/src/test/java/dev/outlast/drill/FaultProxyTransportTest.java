package dev.outlast.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlast.testing.JsonRpcClient;
import dev.outlast.testing.ProxiedChain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transport behaviour: keep-alive, reset, black hole, upstream down; seen by real clients. */
class FaultProxyTransportTest {

    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"}";

    @RegisterExtension
    final ProxiedChain env = new ProxiedChain();

    @Test
    void forwardsTransparentlyWithoutFaults() throws Exception {
        env.chain().mine();
        var response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        assertThat(JsonRpcClient.MAPPER.readTree(response.body()).path("result").asText()).isEqualTo("0x1");
    }

    @Test
    void httpClientReusesOneConnectionForSuccessiveRequests() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(env.viaProxy().post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
        }

        assertThat(env.proxy().connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void servesSeveralRequestsOnOneKeptAliveConnection() throws Exception {
        try (RawHttp raw = new RawHttp(env.proxy().uri())) {
            raw.send(BLOCK_NUMBER);
            assertThat(raw.readResponse()).contains("200 OK").contains("connection: keep-alive").contains("\"0x0\"");
            env.chain().mine();
            raw.send(BLOCK_NUMBER);
            assertThat(raw.readResponse()).contains("200 OK").contains("\"0x1\"");
        }
    }

    @Test
    void acceptsChunkedRequestBodies() throws Exception {
        try (RawHttp raw = new RawHttp(env.proxy().uri())) {
            String first = BLOCK_NUMBER.substring(0, 10);
            String rest = BLOCK_NUMBER.substring(10);
            raw.sendRaw("POST / HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n"
                    + "transfer-encoding: chunked\r\n\r\n"
                    + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                    + Integer.toHexString(rest.length()) + ";ext=1\r\n" + rest + "\r\n0\r\n\r\n");
            assertThat(raw.readResponse()).contains("200 OK").contains("\"result\":\"0x0\"");
        }
    }

    @Test
    void answersExpectContinue() throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(env.proxy().uri()).expectContinue(true)
                            .version(HttpClient.Version.HTTP_1_1)
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(BLOCK_NUMBER)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"result\":\"0x0\"");
        }
    }

    @Test
    void answersMalformedRequestsWith400AndCloses() throws Exception {
        try (RawHttp raw = new RawHttp(env.proxy().uri())) {
            raw.sendRaw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 400 ").contains("connection: close");
        }
    }

    @Test
    void resetReachesRawSocketAsConnectionReset() throws Exception {
        env.proxy().setFault(Fault.reset());
        try (RawHttp raw = new RawHttp(env.proxy().uri())) {
            raw.send(BLOCK_NUMBER);
            assertThatThrownBy(raw::readResponse).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
        }
    }

    @Test
    void resetReachesHttpClientAsIoErrorWithoutResponse() {
        env.proxy().setFault(Fault.reset());

        assertThatThrownBy(() -> env.viaProxy().post(BLOCK_NUMBER))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class)
                .satisfies(e -> assertThat(messages(e)).containsIgnoringCase("reset"));
    }

    @Test
    void blackHoleReachesHttpClientAsTimeout() {
        env.proxy().setFault(Fault.blackHole());
        try (JsonRpcClient impatient = new JsonRpcClient(env.proxy().uri(), Duration.ofMillis(500))) {
            assertThatThrownBy(() -> impatient.post(BLOCK_NUMBER)).isInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void blackHoleKeepsRawSocketOpenAndSilent() throws Exception {
        env.proxy().setFault(Fault.blackHole());
        try (RawHttp raw = new RawHttp(env.proxy().uri())) {
            raw.socket.setSoTimeout(300);
            raw.send(BLOCK_NUMBER);
            assertThatThrownBy(raw::readResponse).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void clearingFaultsRestoresService() throws Exception {
        env.proxy().setFault(Fault.reset());
        assertThatThrownBy(() -> env.viaProxy().post(BLOCK_NUMBER)).isInstanceOf(IOException.class);

        env.proxy().clearFaults();

        assertThat(env.viaProxy().post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
    }

    @Test
    void answers502WhenUpstreamIsDown() throws Exception {
        env.provider().close();

        var response = env.viaProxy().post(BLOCK_NUMBER);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("x-drill-proxy")).hasValue("upstream-error");
    }

    private static String messages(Throwable e) {
        List<String> all = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.add(String.valueOf(t.getMessage()));
        }
        return String.join(" / ", all);
    }

    /** HTTP/1.1 by hand on one socket, to see exactly what the wire does. */
    static final class RawHttp implements AutoCloseable {
        final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        RawHttp(URI uri) throws IOException {
            socket = new Socket(uri.getHost(), uri.getPort());
            socket.setSoTimeout(5_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
        }

        void sendRaw(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void send(String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            out.write(("POST / HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        }

        /** Status line, headers and body of one response (content-length framed). */
        String readResponse() throws IOException {
            StringBuilder head = new StringBuilder();
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.append(line).append('\n');
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            if (head.isEmpty()) {
                throw new IOException("connection closed without a response");
            }
            return head + "\n" + new String(body, 0, read);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
