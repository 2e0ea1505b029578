package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.BothPaths;
import dev.outlast.testing.RawConnection;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestSite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * A response whose body had all arrived with its headers goes to the client in one piece, with its
 * length; a body still coming streams; trailers pass either way. The origin here is a raw socket so that what arrives
 * together, and what does not, is under the test's control.
 */
@BothPaths
class SiteWholeBodyTest {

    @Parameter
    private ServerPath path;

    private final RawOrigin origin = new RawOrigin();
    private TestSite site;

    @AfterEach
    void close() throws IOException {
        if (site != null) {
            site.close();
        }
        origin.close();
    }

    @Test
    void aChunkedBodyThatArrivedWithItsHeadersIsSentWithItsLength() throws Exception {
        origin.respond(out -> out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n"
                                         + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        site = TestSite.start(path, Map.of("origin", origin.uri()));

        try (RawConnection client = get("/page")) {
            RawConnection.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-length")).isEqualTo("11");
            assertThat(response.header("x-outlast-upstream")).isEqualTo("origin");
            assertThat(response.header("transfer-encoding")).isNull();
            assertThat(response.body()).isEqualTo("hello world");
        }
    }

    @Test
    void trailersOfABodyThatArrivedWholeAreKept() throws Exception {
        origin.respond(out -> out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n"
                                         + "trailer: x-checksum\r\n\r\n5\r\nhello\r\n0\r\nx-checksum: abc\r\n\r\n")
                                                .getBytes(StandardCharsets.US_ASCII)));
        site = TestSite.start(path, Map.of("origin", origin.uri()));

        try (RawConnection client = get("/with-trailers")) {
            RawConnection.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.body()).isEqualTo("hello");
            assertThat(response.trailerLines()).containsExactly("x-checksum: abc");
        }
    }

    @Test
    void aBodyStillComingStreamsAndTheClientHasTheHeadersFirst() throws Exception {
        CountDownLatch headersSeen = new CountDownLatch(1);
        origin.respond(out -> {
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n"
                       + "trailer: x-checksum\r\n\r\n5\r\nfirst\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                // The rest comes only once the client has had the headers: a proxy that waited for
                // the whole body would never deliver them, and the test would time out.
                if (!headersSeen.await(20, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.write("4\r\nlast\r\n0\r\nx-checksum: def\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        site = TestSite.start(path, Map.of("origin", origin.uri()));

        try (RawConnection client = get("/stream")) {
            RawConnection.Response response = client.read(headersSeen::countDown);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.header("content-length")).isNull();
            assertThat(response.body()).isEqualTo("firstlast");
            assertThat(response.trailerLines()).containsExactly("x-checksum: def");
        }
    }

    /** A raw client connection that has sent a {@code GET} for {@code target} on the site's host. */
    private RawConnection get(String target) throws IOException {
        RawConnection client = new RawConnection(site.port());
        client.send(RawConnection.get("GET", target, TestSite.HOST, ""));
        return client;
    }

    /** An origin answering every request on a connection with the bytes a handler writes. */
    private static final class RawOrigin implements AutoCloseable {

        interface Writer {
            void write(OutputStream out) throws IOException;
        }

        private final ServerSocket socket;
        private volatile Writer writer = out -> out.write(
                "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));

        RawOrigin() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread.ofVirtual().start(this::accept);
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        void respond(Writer w) {
            this.writer = w;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** Reads each request's head (these tests send no bodies) and answers it in one write when it can. */
        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    head.write(b);
                    if (head.size() >= 4 && endsWithBlankLine(head.toByteArray())) {
                        boolean check = head.toString(StandardCharsets.US_ASCII).startsWith("GET /health ");
                        head.reset();
                        if (check) {
                            out.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                        } else {
                            ByteArrayOutputStream whole = new ByteArrayOutputStream();
                            writer.write(new FlushingTo(whole, out));
                            out.write(whole.toByteArray());
                        }
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the connection ended
            }
        }

        private static boolean endsWithBlankLine(byte[] b) {
            int n = b.length;
            return b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Collects what a handler writes so it leaves in one write, except where the handler flushes:
     * then what was collected leaves at once.
     */
    private static final class FlushingTo extends OutputStream {
        private final ByteArrayOutputStream buffer;
        private final OutputStream socket;

        FlushingTo(ByteArrayOutputStream buffer, OutputStream socket) {
            this.buffer = buffer;
            this.socket = socket;
        }

        @Override
        public void write(int b) {
            buffer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            socket.write(buffer.toByteArray());
            socket.flush();
            buffer.reset();
        }
    }
}
