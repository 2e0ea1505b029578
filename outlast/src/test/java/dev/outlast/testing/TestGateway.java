package dev.outlast.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.MediaType;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.routing.Chain;
import dev.outlast.server.OutlastServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Outlast on port 0 in front of given upstreams, with a client; for behaviour tests. */
public final class TestGateway implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String CHAIN = "devnet";

    private final OutlastServer server;
    private final WebClient client;

    private TestGateway(OutlastServer server) {
        this.server = server;
        this.client = WebClient.builder("h1c://127.0.0.1:" + server.port())
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** {@code fakes} as upstreams named alpha, beta, gamma, delta, in that order. */
    public static Map<String, URI> named(List<FakeUpstream> fakes) {
        String[] names = {"alpha", "beta", "gamma", "delta", "epsilon"};
        Map<String, URI> map = new LinkedHashMap<>();
        for (int i = 0; i < fakes.size(); i++) {
            map.put(names[i], fakes.get(i).uri());
        }
        return map;
    }

    /** Fast polling, a 3 s deadline, otherwise the defaults a minimal config gets. */
    public static ChainConfig chain(Map<String, URI> upstreams) {
        return chain(upstreams, c -> c);
    }

    public static ChainConfig chain(Map<String, URI> upstreams, UnaryOperator<ChainConfig> tweak) {
        List<UpstreamConfig> list = new ArrayList<>();
        upstreams.forEach((name, uri) -> list.add(new UpstreamConfig(name, uri)));
        ChainConfig base = new ChainConfig(CHAIN, 1337, list, Duration.ofSeconds(3), Duration.ofMillis(100),
                Duration.ofSeconds(60), ChainConfig.DEFAULT_MAX_LAG_BLOCKS, ConsensusConfig.DEFAULT,
                HedgingConfig.DEFAULT, Set.of());
        return tweak.apply(base);
    }

    /** Starts a gateway and waits until every upstream expected to be usable is. */
    public static TestGateway start(ChainConfig chain, int expectUsable) {
        return start(ServerPath.FAST, chain, expectUsable);
    }

    /** Starts a gateway answering on {@code path} and waits as {@link #start(ChainConfig, int)} does. */
    public static TestGateway start(ServerPath path, ChainConfig chain, int expectUsable) {
        return start(path, chain, expectUsable, dev.outlast.config.CacheConfig.DEFAULT);
    }

    /** Starts a gateway with a given cache (tests of routing alone turn it off). */
    public static TestGateway start(ChainConfig chain, int expectUsable, dev.outlast.config.CacheConfig cache) {
        return start(ServerPath.FAST, chain, expectUsable, cache);
    }

    /** Starts a gateway answering on {@code path} with a given cache. */
    public static TestGateway start(ServerPath path, ChainConfig chain, int expectUsable,
                                    dev.outlast.config.CacheConfig cache) {
        return start(new OutlastConfig(path.server(), List.of(chain), cache), expectUsable);
    }

    /** Starts a gateway for a whole configuration (one chain) and waits as {@link #start(ChainConfig, int)} does. */
    public static TestGateway start(OutlastConfig config, int expectUsable) {
        OutlastServer server = OutlastServer.start(config);
        TestGateway gateway = new TestGateway(server);
        Chain c = server.chains().get(config.chains().get(0).id());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                c.servedHead() >= 0 && c.upstreams().stream().filter(u -> u.health().isUsable()).count() >= expectUsable);
        return gateway;
    }

    public static TestGateway start(Map<String, URI> upstreams) {
        return start(ServerPath.FAST, upstreams);
    }

    public static TestGateway start(ServerPath path, Map<String, URI> upstreams) {
        return start(path, chain(upstreams), upstreams.size());
    }

    public OutlastServer server() {
        return server;
    }

    public Chain chain() {
        return server.chains().get(CHAIN);
    }

    public AggregatedHttpResponse post(String body) {
        return post("/rpc/" + CHAIN, body);
    }

    public AggregatedHttpResponse post(String path, String body) {
        return client.prepare().post(path).content(MediaType.JSON_UTF_8, body).execute().aggregate().join();
    }

    public AggregatedHttpResponse get(String path) {
        return client.get(path).aggregate().join();
    }

    /** Sends one call and returns the whole response object. */
    public JsonNode call(String method, String paramsJson) {
        return json(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + paramsJson + "}"));
    }

    public static JsonNode json(AggregatedHttpResponse response) {
        try {
            return JSON.readTree(response.contentUtf8());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.contentUtf8(), e);
        }
    }

    @Override
    public void close() {
        // Not waiting: stopping Armeria's listener takes seconds, and nothing in a test depends on it.
        server.closeAsync();
    }
}
