package dev.outlast.drill.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP response to write: status, headers in order (without {@code content-length} and
 * {@code connection}, which the wire adds) and the whole body.
 */
public record WireResponse(int status, List<WireRequest.Header> headers, byte[] body) {

    public WireResponse {
        headers = List.copyOf(headers);
    }

    /** A response with a text body of the given content type. */
    public static WireResponse of(int status, String contentType, String body) {
        return new WireResponse(status, List.of(new WireRequest.Header("content-type", contentType)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** This response with one more header. */
    public WireResponse withHeader(String name, String value) {
        List<WireRequest.Header> more = new ArrayList<>(headers);
        more.add(new WireRequest.Header(name, value));
        return new WireResponse(status, more, body);
    }

    /** This response with another body. */
    public WireResponse withBody(byte[] newBody) {
        return new WireResponse(status, headers, newBody);
    }

    /** The first value of the header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(WireRequest.Header::value)
                .findFirst().orElse(null);
    }
}
