package dev.outlast.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.config.CacheConfig;
import dev.outlast.upstream.UrlRedactor;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache tier shared by replicas: answers kept in Redis (or Valkey) under
 * {@value #PREFIX}{@code key}, with a time to live, so a replica that starts or scales out finds
 * what the others already fetched.
 *
 * <h2>Implementation note</h2>
 * Redis is an optimisation, never a dependency: every command has a short timeout, commands are
 * rejected at once while disconnected (Lettuce would otherwise queue them), and any failure
 * completes as a miss. The first failure and the recovery are logged once each. While Redis is
 * unreachable a new connection is tried at most every {@link #RECONNECT_EVERY}. Answers are checked
 * against the chain's blocks on the way out, like local ones, so a replica never serves an answer
 * another replica cached before a reorg it has seen.
 *
 * <p>Thread-safe.
 */
final class RedisTier implements AutoCloseable {

    static final String PREFIX = "outlast:v1:";
    static final Duration RECONNECT_EVERY = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(RedisTier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisClient client;
    private final RedisURI uri;
    private final String shown;
    private final Duration timeout;
    private final long ttlMillis;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long nextAttempt;

    RedisTier(CacheConfig.Redis config) {
        this.uri = RedisURI.create(config.url());
        this.uri.setTimeout(config.timeout());
        this.shown = new UrlRedactor(config.url()).redacted();
        this.timeout = config.timeout();
        this.ttlMillis = config.ttl().toMillis();
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
                .build());
        connect();
    }

    private void connect() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        nextAttempt = System.nanoTime() + RECONNECT_EVERY.toNanos();
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((conn, error) -> {
            connecting.set(false);
            if (error != null) {
                failed(error);
                return;
            }
            connection = conn;
            recovered();
        });
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> conn = connection;
        if (conn == null && System.nanoTime() - nextAttempt >= 0) {
            connect();
        }
        return conn;
    }

    /** The answer under {@code key}, or null: missing, unreadable, or Redis unavailable. */
    CompletableFuture<CachedAnswer> get(String key, String method) {
        StatefulRedisConnection<String, String> conn = connection();
        if (conn == null) {
            return CompletableFuture.completedFuture(null);
        }
        return conn.async().get(PREFIX + key).toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((value, error) -> {
                    if (error != null) {
                        failed(error);
                        return null;
                    }
                    recovered();
                    return value == null ? null : decode(value, method);
                });
    }

    /** Stores an answer; failures are logged once and otherwise ignored. */
    void put(String key, CachedAnswer answer) {
        StatefulRedisConnection<String, String> conn = connection();
        if (conn == null) {
            return;
        }
        conn.async().set(PREFIX + key, encode(answer), SetArgs.Builder.px(ttlMillis)).toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        failed(error);
                    } else {
                        recovered();
                    }
                });
    }

    private void failed(Throwable error) {
        if (down.compareAndSet(false, true)) {
            log.warn("cache: Redis at {} unavailable ({}); answers come from the embedded cache and the "
                    + "upstreams until it is back", shown, error.toString());
        }
    }

    private void recovered() {
        if (down.compareAndSet(true, false)) {
            log.info("cache: Redis at {} is back", shown);
        }
    }

    static String encode(CachedAnswer answer) {
        ObjectNode node = JSON.createObjectNode();
        node.set("r", answer.result());
        ArrayNode upstreams = node.putArray("u");
        answer.upstreams().forEach(upstreams::add);
        if (answer.consensus() != null) {
            node.put("c", answer.consensus());
        }
        if (answer.verified() != null) {
            node.put("v", answer.verified());
        }
        if (!answer.validity().isForever()) {
            node.put("b", answer.validity().block());
            node.put("h", answer.validity().hash());
        }
        return node.toString();
    }

    /** Decodes what {@link #encode} wrote; null for anything else (another version, a stray key). */
    static CachedAnswer decode(String value, String method) {
        try {
            JsonNode node = JSON.readTree(value);
            JsonNode result = node.get("r");
            if (result == null || result.isNull()) {
                return null;
            }
            List<String> upstreams = new ArrayList<>();
            node.path("u").forEach(u -> upstreams.add(u.asText()));
            Validity validity = node.has("b") ? new Validity(node.get("b").asLong(), node.path("h").asText())
                                              : Validity.FOREVER;
            return new CachedAnswer(method, result, upstreams, node.path("c").asText(null),
                    node.path("v").asText(null), validity, value.getBytes(StandardCharsets.UTF_8).length);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> conn = connection;
        if (conn != null) {
            conn.closeAsync();
        }
        client.shutdownAsync(0, 2, TimeUnit.SECONDS);
    }
}
