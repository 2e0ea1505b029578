package dev.outlast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain JSON-RPC client over {@link HttpClient} (HTTP/1.1, keep-alive) for tests: raw posts when a
 * test looks at status and headers, calls when it looks at results. Thread-safe.
 */
public final class JsonRpcClient implements AutoCloseable {

    /** A JSON-RPC error answer. */
    public static final class RpcException extends RuntimeException {
        private final JsonNode error;

        RpcException(JsonNode error) {
            super(error.toString());
            this.error = error;
        }

        public int code() {
            return error.path("code").asInt();
        }

        public JsonNode error() {
            return error;
        }
    }

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong();

    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;

    public JsonRpcClient(URI uri) {
        this(uri, Duration.ofSeconds(10));
    }

    public JsonRpcClient(URI uri, Duration timeout) {
        this.uri = uri;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI uri() {
        return uri;
    }

    /** A JSON-RPC request object with a fresh id. */
    public static ObjectNode request(String method, Object... params) {
        ObjectNode o = MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", IDS.incrementAndGet())
                .put("method", method);
        ArrayNode p = o.putArray("params");
        for (Object param : params) {
            p.add(MAPPER.<JsonNode>valueToTree(param));
        }
        return o;
    }

    /** Posts {@code body} as JSON; throws the transport's exception (reset, timeout) as it is. */
    public HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(timeout)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts {@code body} and parses the answer, which must be HTTP 200 JSON. */
    public JsonNode exchange(JsonNode body) {
        try {
            HttpResponse<String> response = post(body.toString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }
            return MAPPER.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of {@code method}, or a {@link RpcException} for an error answer. */
    public JsonNode call(String method, Object... params) {
        JsonNode answer = exchange(request(method, params));
        if (answer.has("error")) {
            throw new RpcException(answer.get("error"));
        }
        return answer.get("result");
    }

    /** The result of {@code method} as a number. */
    public BigInteger quantity(String method, Object... params) {
        String hex = call(method, params).asText();
        return new BigInteger(hex.substring(2), 16);
    }

    public long blockNumber() {
        return quantity("eth_blockNumber").longValueExact();
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
