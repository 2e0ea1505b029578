package dev.outlast.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.outlast.attribution.Attribution;
import dev.outlast.attribution.Attributor;
import dev.outlast.attribution.Source;
import dev.outlast.time.Ticker;
import dev.outlast.transport.FailureKind;
import dev.outlast.transport.client.CallFailure;
import dev.outlast.transport.client.Http1Client;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One provider's JSON-RPC endpoint. {@link #call} sends one request and always completes normally
 * with an {@link UpstreamReply} that classifies what happened; it never throws and never
 * completes exceptionally. Cancelling the returned future aborts the HTTP request.
 *
 * <p>Thread-safe. Calls are asynchronous and never block the caller's thread.
 */
public final class Upstream {

    /**
     * Appended to a vendor page's failure detail when the vendor passed the origin's error through
     * ({@code cloudflare 502 at FRA (origin error)}); without it the vendor's edge generated the page.
     */
    public static final String ORIGIN_ERROR = " (origin error)";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);

    private final String name;
    private final UrlRedactor redactor;
    private final Http1Client client;
    private final Ticker ticker;
    private final AtomicLong ids = new AtomicLong();

    public Upstream(String name, URI url, ClientFactory factory, Ticker ticker) {
        this.name = name;
        this.redactor = new UrlRedactor(url);
        this.ticker = ticker;
        this.client = new Http1Client(url, factory);
    }

    public String name() {
        return name;
    }

    /** Connections open to this upstream now (for the connections gauge). */
    public int openConnections() {
        return client.openConnections();
    }

    /** Closes this upstream's connections; calls after this fail. */
    public void close() {
        client.close();
    }

    /** The URL with its secrets hidden; safe to show anywhere. */
    public String redactedUrl() {
        return redactor.redacted();
    }

    public UrlRedactor redactor() {
        return redactor;
    }

    /**
     * Sends {@code method(params)} with a timeout; completes with what happened. {@code params} may
     * be an array or an object.
     */
    public CompletableFuture<UpstreamReply> call(String method, JsonNode params, Duration timeout) {
        long id = ids.incrementAndGet();
        ObjectNode body = JSON.createObjectNode();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("method", method);
        body.set("params", params);
        java.util.Map<Upstream, List<Pending>> collecting = COLLECTING.get();
        if (collecting != null && !batchUnsupported) {
            Pending pending = new Pending(id, body, timeout, new CompletableFuture<>());
            collecting.computeIfAbsent(this, u -> new ArrayList<>()).add(pending);
            return pending.reply();
        }
        return send(id, body, timeout);
    }

    /** Sends one request now. */
    private CompletableFuture<UpstreamReply> send(long id, ObjectNode body, Duration timeout) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(
                    UpstreamReply.failure(name, FailureKind.BAD_RESPONSE, "cannot encode request", 0));
        }
        long start = ticker.nanos();
        CompletableFuture<Http1Client.Reply> call = client.post(bytes, timeout);
        CompletableFuture<UpstreamReply> result = new CompletableFuture<>();
        call.whenComplete((http, error) -> {
            long latency = ticker.nanos() - start;
            try {
                result.complete(error != null ? fromException(error, latency) : fromResponse(http, id, latency));
            } catch (RuntimeException e) {
                result.complete(unreadable(e, latency));
            }
        });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                call.cancel(false);
            }
        });
        return result;
    }

    /** A call collected for an outgoing batch. */
    private record Pending(long id, ObjectNode body, Duration timeout, CompletableFuture<UpstreamReply> reply) {
    }

    /** The most calls sent to one upstream in one HTTP request. */
    static final int MAX_BATCH = 50;
    private static final ThreadLocal<java.util.Map<Upstream, List<Pending>>> COLLECTING = new ThreadLocal<>();

    /** Set when this upstream answered a batch with something that is not a batch answer. */
    private volatile boolean batchUnsupported;

    /**
     * Runs {@code work}; the upstream calls it starts on this thread are sent together, one
     * JSON-RPC batch per upstream, when it returns (a client's batch fans out into one HTTP request
     * per upstream instead of one per element). Calls started later (failover, hedges) go alone.
     * An upstream that answers a batch with anything but a batch answer (some providers refuse
     * batches) gets the calls again one by one, and no batches afterwards.
     */
    public static <T> T batching(java.util.function.Supplier<T> work) {
        if (COLLECTING.get() != null) {
            return work.get();
        }
        java.util.Map<Upstream, List<Pending>> collected = new java.util.LinkedHashMap<>();
        COLLECTING.set(collected);
        try {
            return work.get();
        } finally {
            COLLECTING.remove();
            collected.forEach(Upstream::flush);
        }
    }

    private void flush(List<Pending> calls) {
        for (int from = 0; from < calls.size(); from += MAX_BATCH) {
            List<Pending> part = calls.subList(from, Math.min(calls.size(), from + MAX_BATCH));
            if (part.size() == 1 || batchUnsupported) {
                part.forEach(this::sendAlone);
            } else {
                sendBatch(List.copyOf(part));
            }
        }
    }

    private void sendAlone(Pending p) {
        CompletableFuture<UpstreamReply> sent = send(p.id(), p.body(), p.timeout());
        sent.thenAccept(p.reply()::complete);
        p.reply().whenComplete((r, e) -> {
            if (p.reply().isCancelled()) {
                sent.cancel(false);
            }
        });
    }

    private void sendBatch(List<Pending> calls) {
        com.fasterxml.jackson.databind.node.ArrayNode body = JSON.createArrayNode();
        Duration timeout = Duration.ZERO;
        for (Pending p : calls) {
            body.add(p.body());
            timeout = p.timeout().compareTo(timeout) > 0 ? p.timeout() : timeout;
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            calls.forEach(this::sendAlone);
            return;
        }
        long start = ticker.nanos();
        client.post(bytes, timeout).whenComplete((http, error) -> {
            long latency = ticker.nanos() - start;
            try {
                if (error != null) {
                    UpstreamReply failure = fromException(error, latency);
                    calls.forEach(p -> p.reply().complete(failure));
                } else {
                    answerBatch(calls, http, latency);
                }
            } catch (RuntimeException e) {
                UpstreamReply failure = unreadable(e, latency);
                calls.forEach(p -> p.reply().complete(failure));
            }
        });
    }

    private void answerBatch(List<Pending> calls, Http1Client.Reply http, long latency) {
        JsonNode json = parse(http);
        if (json == null || !json.isArray()) {
            HttpStatus status = HttpStatus.valueOf(http.status());
            if (status.isServerError() || status.code() == 429 || json == null) {
                // A failure of the whole request (an edge page, a 5xx, a 429, a cut body): each
                // call fails as it would have alone.
                for (Pending p : calls) {
                    p.reply().complete(fromResponse(http, p.id(), latency));
                }
                return;
            }
            // Answered, but not as a batch: this upstream does not take batches.
            batchUnsupported = true;
            calls.forEach(this::sendAlone);
            return;
        }
        java.util.Map<Long, JsonNode> byId = new java.util.HashMap<>();
        for (JsonNode element : json) {
            JsonNode id = element.get("id");
            if (id != null && id.canConvertToLong()) {
                byId.put(id.asLong(), element);
            }
        }
        if (calls.stream().noneMatch(p -> byId.containsKey(p.id()))) {
            // An array, but answering none of the calls (e.g. one error "batches not supported").
            batchUnsupported = true;
            calls.forEach(this::sendAlone);
            return;
        }
        for (Pending p : calls) {
            JsonNode element = byId.get(p.id());
            if (element == null || !element.isObject() || !(element.has("result") || element.has("error"))) {
                p.reply().complete(UpstreamReply.failure(name, FailureKind.BAD_RESPONSE,
                        "no answer for this call in the batch answer", latency));
            } else {
                p.reply().complete(fromElement(element, latency));
            }
        }
    }

    private UpstreamReply fromException(Throwable error, long latency) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CallFailure failure) {
            return UpstreamReply.failure(name, failure.kind(), redactor.scrub(failure.getMessage()), latency);
        }
        return UpstreamReply.failure(name, FailureKind.RESET, redactor.scrub(describe(cause)), latency);
    }

    /** The body as JSON, or null when it is empty or not JSON. */
    private static JsonNode parse(Http1Client.Reply http) {
        if (http.body().length == 0) {
            return null;
        }
        try {
            return JSON.readTree(http.body());
        } catch (IOException e) {
            return null;
        }
    }

    /** An answer this code could not take apart: a bad answer, never a call left hanging. */
    private UpstreamReply unreadable(RuntimeException e, long latency) {
        return UpstreamReply.failure(name, FailureKind.BAD_RESPONSE,
                redactor.scrub("cannot read the answer: " + describe(e)), latency);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + message;
    }

    private UpstreamReply fromResponse(Http1Client.Reply http, long id, long latency) {
        HttpStatus status = HttpStatus.valueOf(http.status());
        if (status.code() == 429) {
            return UpstreamReply.rateLimited(name, retryAfter(http.headers().get("retry-after")), "HTTP 429", latency);
        }
        JsonNode json = parse(http);
        boolean rpcShaped = json != null && json.isObject() && (json.has("result") || json.has("error"));
        boolean rpcError = rpcShaped && json.hasNonNull("error");
        if (!rpcShaped || (!status.isSuccess() && !rpcError)) {
            if (status.isServerError()) {
                Attribution attribution = Attributor.attribute(status.code(), armeriaHeaders(http), bodyPrefix(http));
                if (attribution.known()) {
                    // "cloudflare 522 at FRA": the monitor reads vendor, edge location and source back from it.
                    return UpstreamReply.vendorPage(name, attribution.vendor().label() + " " + status.code()
                            + (attribution.location() == null ? "" : " at " + attribution.location())
                            + (attribution.source() == Source.ORIGIN ? ORIGIN_ERROR : ""), attribution.source(), latency);
                }
                return UpstreamReply.failure(name, FailureKind.HTTP_5XX, "HTTP " + status.code(), latency);
            }
            if (status.isClientError()) {
                return UpstreamReply.failure(name, FailureKind.HTTP_4XX, "HTTP " + status.code(), latency);
            }
            return UpstreamReply.failure(name, FailureKind.BAD_RESPONSE,
                    json == null ? "HTTP " + status.code() + " with a body that is not JSON"
                                 : "HTTP " + status.code() + " with JSON that is not a JSON-RPC response",
                    latency);
        }
        JsonNode responseId = json.get("id");
        if (responseId == null || !responseId.canConvertToLong() || responseId.asLong() != id) {
            return UpstreamReply.failure(name, FailureKind.BAD_RESPONSE, "response id does not match the request",
                    latency);
        }
        return fromElement(json, latency);
    }

    /** One JSON-RPC response object (whose id matched) as a reply. */
    private UpstreamReply fromElement(JsonNode json, long latency) {
        JsonNode error = json.get("error");
        if (error != null && !error.isNull()) {
            if (!error.isObject()) {
                return UpstreamReply.failure(name, FailureKind.BAD_RESPONSE, "error member is not an object", latency);
            }
            if (RpcErrorClassifier.nodeCannotServe(error)) {
                String message = redactor.scrub(error.path("message").asText(""));
                return new UpstreamReply(name, null, error, FailureKind.NODE_ERROR,
                        "JSON-RPC error " + error.path("code").asInt() + ": " + truncate(message), null, latency);
            }
            return UpstreamReply.error(name, error, latency);
        }
        return UpstreamReply.result(name, json.get("result"), latency);
    }

    /** The answer's headers as the attribution rules read them (only for a failed answer). */
    private static ResponseHeaders armeriaHeaders(Http1Client.Reply http) {
        ResponseHeadersBuilder headers = ResponseHeaders.builder(http.status());
        http.headers().forEach(h -> headers.add(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        return headers.build();
    }

    private static String bodyPrefix(Http1Client.Reply http) {
        byte[] bytes = http.body();
        return new String(bytes, 0, Math.min(bytes.length, Attributor.BODY_PREFIX_CHARS), StandardCharsets.UTF_8);
    }

    private static String truncate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        Duration wait;
        String value = header.trim();
        if (value.matches("\\d{19,}")) {
            return MAX_RETRY_AFTER;
        }
        try {
            wait = Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
            } catch (RuntimeException e2) {
                wait = DEFAULT_RETRY_AFTER;
            }
        }
        if (wait.isNegative() || wait.isZero()) {
            return DEFAULT_RETRY_AFTER;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }
}
