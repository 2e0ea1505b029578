package dev.outlast.drill.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 request as read off the wire, body fully read (JSON-RPC bodies are small).
 *
 * @param headers in arrival order, names as sent
 */
public record WireRequest(String method, String target, String version, List<Header> headers, byte[] body) {

    /** A header line. */
    public record Header(String name, String value) {
    }

    public WireRequest {
        headers = List.copyOf(headers);
    }

    /** The first value of the header {@code name} (case-insensitive). */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /** The path part of the target, without the query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** Whether the client lets the connection be reused after this request. */
    public boolean keepAlive() {
        String connection = header("connection").orElse("").toLowerCase(Locale.ROOT);
        if ("HTTP/1.0".equals(version)) {
            return connection.contains("keep-alive");
        }
        return !connection.contains("close");
    }
}
