package dev.outlast.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.config.CacheConfig;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.RedisServer;
import dev.outlast.testing.TestGateway;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared tier against a real redis-server: replicas share answers, and Redis failing costs only misses. */
class RedisTierIT {

    private static final String ADDRESS = "\"0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1\"";

    private final FakeUpstream alpha = FakeUpstream.honest();
    private final FakeUpstream beta = FakeUpstream.honest();
    private final List<AutoCloseable> toClose = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        alpha.close();
        beta.close();
    }

    private TestGateway gateway(URI redis) {
        Map<String, URI> upstreams = new LinkedHashMap<>();
        upstreams.put("alpha", alpha.uri());
        upstreams.put("beta", beta.uri());
        CacheConfig cache = new CacheConfig(true, CacheConfig.DEFAULT_MAX_BYTES, CacheConfig.DEFAULT_REORG_HORIZON,
                new CacheConfig.Redis(redis, Duration.ofMillis(500), Duration.ofMinutes(5)));
        TestGateway gateway = TestGateway.start(TestGateway.chain(upstreams), 2, cache);
        toClose.add(gateway);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.chain().cacheFinality().finalBlock() >= 36);
        return gateway;
    }

    private static AggregatedHttpResponse balance(TestGateway gateway, String block) {
        return gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBalance\",\"params\":[" + ADDRESS
                + ",\"" + block + "\"]}");
    }

    private int balanceCalls() {
        return alpha.calls("eth_getBalance") + beta.calls("eth_getBalance");
    }

    private RedisClient inspector;

    /** The keys Outlast wrote, read with a separate client, as an operator would. */
    private List<String> keys(RedisServer redis) {
        if (inspector == null) {
            inspector = RedisClient.create();
            toClose.add(() -> inspector.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        }
        try (StatefulRedisConnection<String, String> conn = inspector.connect(io.lettuce.core.RedisURI.create(redis.uri()))) {
            return conn.sync().keys(RedisTier.PREFIX + "*");
        } catch (io.lettuce.core.RedisConnectionException e) {
            return List.of();
        }
    }

    @Test
    void aReplicaAnswersFromWhatAnotherFetched() {
        RedisServer redis = RedisServer.start();
        toClose.add(redis);
        TestGateway first = gateway(redis.uri());
        TestGateway second = gateway(redis.uri());

        assertThat(balance(first, "0x10").headers().get("x-outlast-cache")).isEqualTo("MISS");
        await().atMost(Duration.ofSeconds(5)).until(() -> !keys(redis).isEmpty());
        assertThat(keys(redis)).singleElement().asString().contains("devnet eth_getBalance");
        int calls = balanceCalls();

        AggregatedHttpResponse shared = balance(second, "0x10");

        assertThat(shared.headers().get("x-outlast-cache")).isEqualTo("HIT");
        assertThat(shared.headers().get("x-outlast-consensus")).isEqualTo("2/2");
        assertThat(TestGateway.json(shared).path("result").asText()).isEqualTo("0xde0b6b3a7640000");
        assertThat(balanceCalls()).isEqualTo(calls);
        assertThat(second.get("/metrics").contentUtf8()).contains(
                "outlast_cache_requests_total{chain=\"devnet\",method=\"eth_getBalance\",result=\"hit\",tier=\"redis\"} 1.0");
    }

    @Test
    void redisGoingDownCostsOnlyMissesAndItsReturnIsNoticed() {
        RedisServer redis = RedisServer.start();
        toClose.add(redis);
        TestGateway gateway = gateway(redis.uri());
        balance(gateway, "0x10");
        await().atMost(Duration.ofSeconds(5)).until(() -> keys(redis).size() == 1);

        redis.stop();
        for (int block = 0x11; block < 0x20; block++) {
            long start = System.nanoTime();
            AggregatedHttpResponse r = balance(gateway, "0x" + Integer.toHexString(block));
            assertThat(TestGateway.json(r).path("result").asText()).isEqualTo("0xde0b6b3a7640000");
            assertThat(r.headers().get("x-outlast-cache")).isEqualTo("MISS");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        // The embedded tier still answers.
        assertThat(balance(gateway, "0x10").headers().get("x-outlast-cache")).isEqualTo("HIT");

        redis.startProcess();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            balance(gateway, "0x" + Integer.toHexString(0x20 + (int) (System.nanoTime() % 16)));
            return !keys(redis).isEmpty();
        });
    }

    @Test
    void anUnreachableRedisAtStartIsNotAnError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TestGateway gateway = gateway(URI.create("redis://127.0.0.1:" + port));
        for (int i = 0; i < 3; i++) {
            AggregatedHttpResponse r = balance(gateway, "0x10");
            assertThat(TestGateway.json(r).path("result").asText()).isEqualTo("0xde0b6b3a7640000");
        }
        assertThat(balance(gateway, "0x10").headers().get("x-outlast-cache")).isEqualTo("HIT");
    }
}
