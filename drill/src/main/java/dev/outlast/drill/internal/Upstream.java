package dev.outlast.drill.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one upstream behind a proxy, reached with {@link HttpClient} over HTTP/1.1 with keep-alive.
 * Every request goes to the target URL whatever the client's path; hop-by-hop headers and
 * {@code accept-encoding} are dropped so that bodies come back as plain JSON the rewrites can read.
 * Thread-safe.
 */
public final class Upstream implements AutoCloseable {

    private static final Set<String> DROPPED_REQUEST_HEADERS = Set.of("connection", "keep-alive",
            "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "accept-encoding", "http2-settings");
    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of("connection", "keep-alive",
            "transfer-encoding", "content-length", "trailer", "upgrade", "proxy-connection", ":status");

    private final URI target;
    private final HttpClient client;
    private final Duration timeout;

    public Upstream(URI target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI target() {
        return target;
    }

    /** Sends the client's request (method, headers, {@code body}) to the target and returns its answer. */
    public WireResponse forward(WireRequest request, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder out = HttpRequest.newBuilder(target).timeout(timeout)
                .method(request.method(), body.length == 0 && !"POST".equals(request.method())
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (WireRequest.Header h : request.headers()) {
            if (!DROPPED_REQUEST_HEADERS.contains(h.name().toLowerCase(Locale.ROOT))) {
                out.header(h.name(), h.value());
            }
        }
        HttpResponse<byte[]> response = client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
        List<WireRequest.Header> headers = new ArrayList<>();
        response.headers().map().forEach((name, values) -> {
            if (!DROPPED_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> headers.add(new WireRequest.Header(name, v)));
            }
        });
        return new WireResponse(response.statusCode(), headers, response.body());
    }

    /** The upstream's current head, by {@code eth_blockNumber}. */
    public BigInteger blockNumber() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}"))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode result = Json.MAPPER.readTree(response.body()).path("result");
        if (!result.isTextual()) {
            throw new IOException("eth_blockNumber: " + response.statusCode() + " " + response.body()
                    + " (expected: a hex quantity)");
        }
        return Json.quantity(result.asText());
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
