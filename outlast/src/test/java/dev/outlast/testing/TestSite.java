package dev.outlast.testing;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.outlast.config.HealthCheckConfig;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.server.OutlastServer;
import dev.outlast.site.Site;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Outlast on port 0 proxying one site, {@value #HOST}, to given origins (named in order), with a
 * client that sends the site's {@code Host}. Active checks go to {@code /health} once at start and
 * then hourly, so they do not interfere with what a test does to its origins.
 */
public final class TestSite implements AutoCloseable {

    public static final String HOST = "app.test";

    private final OutlastServer server;
    private final WebClient client;

    private TestSite(OutlastServer server) {
        this.server = server;
        this.client = WebClient.builder("h1c://127.0.0.1:" + server.port())
                .responseTimeout(Duration.ofSeconds(60)).maxResponseLength(0).build();
    }

    public static TestSite start(Map<String, URI> origins) {
        return start(ServerPath.FAST, origins);
    }

    public static TestSite start(ServerPath path, Map<String, URI> origins) {
        return start(path, origins, s -> s);
    }

    public static TestSite start(Map<String, URI> origins, UnaryOperator<SiteConfig> tweak) {
        return start(ServerPath.FAST, origins, tweak);
    }

    public static TestSite start(ServerPath path, Map<String, URI> origins, UnaryOperator<SiteConfig> tweak) {
        List<OriginConfig> list = new ArrayList<>();
        origins.forEach((name, uri) -> list.add(new OriginConfig(name, uri)));
        SiteConfig site = SiteConfig.of("app", HOST, list)
                .withHealthCheck(new HealthCheckConfig("/health", Duration.ofHours(1), Duration.ofSeconds(2), 200));
        return new TestSite(OutlastServer.start(new OutlastConfig(path.server(), List.of(),
                List.of(tweak.apply(site)))));
    }

    /** Two origins named {@code first} and {@code second}. */
    public static TestSite start(URI first, URI second) {
        return start(ServerPath.FAST, first, second);
    }

    /** Two origins named {@code first} and {@code second}, served on {@code path}. */
    public static TestSite start(ServerPath path, URI first, URI second) {
        Map<String, URI> map = new LinkedHashMap<>();
        map.put("first", first);
        map.put("second", second);
        return start(path, map);
    }

    /**
     * Waits for the first active check of every origin (they start down): a request sent before it
     * counts its failure against an origin the check then declares healthy.
     */
    public TestSite awaitOriginsUsable() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> site().origins().stream().allMatch(o -> o.health().isUsable()));
        return this;
    }

    public OutlastServer server() {
        return server;
    }

    public Site site() {
        return server.sites().get("app");
    }

    public WebClient client() {
        return client;
    }

    public int port() {
        return server.port();
    }

    /** Sends a request to the site with {@code headers} given as name, value, ... */
    public AggregatedHttpResponse send(HttpMethod method, String path, String body, String... headers) {
        RequestHeadersBuilder h = RequestHeaders.builder(method, path).authority(HOST);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return client.execute(h.build(), body == null ? "" : body).aggregate().join();
    }

    public AggregatedHttpResponse get(String path, String... headers) {
        return send(HttpMethod.GET, path, null, headers);
    }

    /** A request to the gateway itself (no site's Host). */
    public AggregatedHttpResponse gateway(String path) {
        return client.get(path).aggregate().join();
    }

    @Override
    public void close() {
        server.closeAsync();
    }
}
