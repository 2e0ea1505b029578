package dev.outlast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One client connection to a server on loopback, written and read byte by byte, so that every byte
 * of a request and of its answer is the test's: for tests of the listener itself (which requests
 * the fast path answers, and that it answers them as Armeria would).
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A request line, {@code Host} and {@code extraHeaders} (each ending in CRLF), no body. */
    public static String get(String method, String path, String host, String extraHeaders) {
        return method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders + "\r\n";
    }

    /** A JSON {@code POST} to {@code Host: 127.0.0.1} with its {@code Content-Length}. */
    public static String post(String path, String body, String extraHeaders) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next answer, its body read by its {@code Content-Length} or chunks (and their trailers). */
    public Response read() throws IOException {
        return read(false, () -> { });
    }

    /** As {@link #read()}, running {@code afterHead} once the head is in, before the body is read. */
    public Response read(Runnable afterHead) throws IOException {
        return read(false, afterHead);
    }

    /** The answer to a HEAD: headers only, whatever length they announce. */
    public Response readHead() throws IOException {
        return read(true, () -> { });
    }

    /** The connection's input, for a test that reads a body its own way. */
    public InputStream in() {
        return in;
    }

    private Response read(boolean head, Runnable afterHead) throws IOException {
        String statusLine = line();
        assertThat(statusLine).startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String> lines = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            lines.add(line);
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        afterHead.run();
        byte[] content;
        List<String> trailerLines = new ArrayList<>();
        if (head) {
            content = new byte[0];
        } else if (headers.containsKey("content-length")) {
            content = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                all.write(in.readNBytes(size));
                line();
            }
            for (String line = line(); !line.isEmpty(); line = line()) {
                trailerLines.add(line);
            }
            content = all.toByteArray();
        } else {
            content = new byte[0];
        }
        return new Response(statusLine, status, lines, headers, content, trailerLines);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed by the server after: " + sb);
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** True when nothing comes within 50 ms and the connection is still open. */
    public boolean isOpen() throws IOException {
        socket.setSoTimeout(50);
        try {
            int b = in.read();
            if (b == -1) {
                return false;
            }
            throw new AssertionError("unexpected byte from the server: " + b);
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    /** True if the server closes the connection within {@code within}, reading nothing else. */
    public boolean closedByServer(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * One answer as it came.
     *
     * @param statusLine   the status line, without its CRLF
     * @param headerLines  the header lines in the order they came, without their CRLF
     * @param headers      the same by lower-case name (the last of a repeated name)
     * @param content      the body, de-chunked when it came in chunks
     * @param trailerLines the trailer lines of a chunked body in the order they came, without their CRLF
     */
    public record Response(String statusLine, int status, List<String> headerLines, Map<String, String> headers,
                           byte[] content, List<String> trailerLines) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String body() {
            return new String(content, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return TestGateway.JSON.readTree(content);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body(), e);
            }
        }
    }
}
