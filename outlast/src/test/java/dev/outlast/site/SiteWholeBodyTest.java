package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * A response whose body had all arrived with its headers goes to the client in one piece, with its
 * length; a body still coming streams; trailers pass either way. The origin here is a raw socket so that what arrives
 * together, and what does not, is under the test's control.
 */
class SiteWholeBodyTest {

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
        site = TestSite.start(Map.of("origin", origin.uri()));

        try (RawClient client = new RawClient(site.port(), "/page")) {
            String head = client.head();
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("\r\ncontent-length: 11\r\n")
                    .containsIgnoringCase("\r\nx-outlast-upstream: origin\r\n")
                    .doesNotContainIgnoringCase("transfer-encoding");
            assertThat(client.read(11)).isEqualTo("hello world");
        }
    }

    @Test
    void trailersOfABodyThatArrivedWholeAreKept() throws Exception {
        origin.respond(out -> out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n"
                                         + "trailer: x-checksum\r\n\r\n5\r\nhello\r\n0\r\nx-checksum: abc\r\n\r\n")
                                                .getBytes(StandardCharsets.US_ASCII)));
        site = TestSite.start(Map.of("origin", origin.uri()));

        try (RawClient client = new RawClient(site.port(), "/with-trailers")) {
            String head = client.head();
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("transfer-encoding: chunked");
            String rest = client.readToEnd();
            assertThat(rest).contains("hello").containsIgnoringCase("x-checksum: abc");
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
        site = TestSite.start(Map.of("origin", origin.uri()));

        try (RawClient client = new RawClient(site.port(), "/stream")) {
            String head = client.head();
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("transfer-encoding: chunked")
                    .doesNotContainIgnoringCase("content-length");
            headersSeen.countDown();
            assertThat(client.readToEnd()).contains("first").contains("last").containsIgnoringCase("x-checksum: def")
                    .endsWith("\r\n\r\n");
        }
    }

    /** A client on a raw socket: sends one GET for the site's host and reads the answer as it comes. */
    private static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        RawClient(int port, String path) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nhost: " + TestSite.HOST
                                            + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in = socket.getInputStream();
        }

        /** The status line and headers, up to the blank line. */
        String head() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.size() >= 4 && RawOrigin.endsWithBlankLine(head.toByteArray())) {
                    break;
                }
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        String read(int n) throws IOException {
            return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
        }

        String readToEnd() throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
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
