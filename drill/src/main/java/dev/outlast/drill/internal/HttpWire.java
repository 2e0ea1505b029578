package dev.outlast.drill.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads HTTP/1.1 requests from and writes responses to a socket's streams: enough of RFC 9112 for
 * JSON-RPC clients (content-length and chunked request bodies, {@code Expect: 100-continue},
 * keep-alive). Responses always carry {@code content-length}. Stateless; callers own the streams.
 *
 * <p>Why the fault proxy speaks HTTP on plain sockets instead of Outlast's Netty transport: this is
 * the <em>server</em> side of a proxy that must fail the way real vendors fail, byte for byte, which
 * a codec hides on purpose: a real TCP reset (linger 0, then close), a black hole (the request read,
 * never answered), a body cut short after its headers, a response written slowly. Outlast's own
 * clients ({@code dev.outlast.transport.client}) only send requests; the proxy's upstream side uses
 * the JDK's {@code HttpClient}, which takes any method and header a client sent.
 */
public final class HttpWire {

    /** Thrown for a request that is not valid HTTP/1.1; the connection should get a 400 and close. */
    public static final class MalformedRequestException extends IOException {
        MalformedRequestException(String message) {
            super(message);
        }
    }

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final int MAX_BODY = 32 * 1024 * 1024;

    /** Headers the wire writes itself; a response's own values for them are dropped. */
    private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "connection", "transfer-encoding",
            "keep-alive");

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Continue"), Map.entry(200, "OK"), Map.entry(204, "No Content"),
            Map.entry(400, "Bad Request"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private HttpWire() {
    }

    /**
     * Reads the next request, or returns null if the client closed the connection between requests.
     * Answers {@code Expect: 100-continue} on {@code out} before reading the body.
     */
    public static WireRequest read(InputStream in, OutputStream out) throws IOException {
        String requestLine = readLine(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = readLine(in); // tolerate stray CRLF between requests (RFC 9112 2.2)
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new MalformedRequestException("bad request line: " + requestLine);
        }
        List<WireRequest.Header> headers = new ArrayList<>();
        for (String line = readLine(in); ; line = readLine(in)) {
            if (line == null) {
                throw new MalformedRequestException("connection closed in headers");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new MalformedRequestException("bad header line: " + line);
            }
            headers.add(new WireRequest.Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        WireRequest head = new WireRequest(parts[0], parts[1], parts[2], headers, new byte[0]);
        if (head.header("expect").map(e -> e.equalsIgnoreCase("100-continue")).orElse(false)) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        byte[] body = readBody(head, in);
        return new WireRequest(parts[0], parts[1], parts[2], headers, body);
    }

    /** Writes {@code response}, adding {@code content-length} and {@code connection}, and flushes. */
    public static void write(OutputStream out, WireResponse response, boolean keepAlive) throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(REASONS.getOrDefault(response.status(), CloudflarePages.reason(response.status())))
                .append("\r\n");
        for (WireRequest.Header h : response.headers()) {
            if (!FRAMING_HEADERS.contains(h.name().toLowerCase(Locale.ROOT))) {
                head.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        head.append("content-length: ").append(response.body().length).append("\r\n")
                .append("connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(response.body());
        out.flush();
    }

    private static byte[] readBody(WireRequest head, InputStream in) throws IOException {
        String te = head.header("transfer-encoding").orElse("").toLowerCase(Locale.ROOT);
        if (te.contains("chunked")) {
            return readChunked(in);
        }
        String length = head.header("content-length").orElse("0");
        long n;
        try {
            n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new MalformedRequestException("bad content-length: " + length);
        }
        if (n < 0 || n > MAX_BODY) {
            throw new MalformedRequestException("content-length out of range: " + n);
        }
        return readExactly(in, (int) n);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new MalformedRequestException("connection closed in chunked body");
            }
            int semi = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new MalformedRequestException("bad chunk size: " + sizeLine);
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY) {
                throw new MalformedRequestException("chunk out of range: " + size);
            }
            if (size == 0) {
                for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                    // trailers are read and dropped
                }
                return body.toByteArray();
            }
            body.write(readExactly(in, size));
            readLine(in); // CRLF after the chunk data
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new MalformedRequestException("connection closed in body after " + bytes.length + " of " + n);
        }
        return bytes;
    }

    /** A line without its CRLF (or bare LF), or null at end of stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new MalformedRequestException("line too long");
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new MalformedRequestException("connection closed mid-line");
        }
        return null;
    }
}
