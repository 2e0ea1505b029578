package dev.outlast.monitor.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import dev.outlast.attribution.Attribution;
import dev.outlast.attribution.Attributor;
import dev.outlast.config.ProbeConfig;
import dev.outlast.monitor.Observation;
import dev.outlast.time.Ticker;
import dev.outlast.upstream.UrlRedactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code http} and {@code jsonrpc} probes: one request, then the status, the latency, the headers and
 * the conditions on the JSON body, in that order; the first that fails is the run's failure. A
 * failed response is attributed to its edge vendor. For {@code jsonrpc} a response carrying an
 * {@code error} fails unless a condition looks at {@code error}.
 *
 * <p>Thread-safe.
 */
final class HttpProbe implements Probe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeConfig config;
    private final WebClient client;
    private final Ticker ticker;
    private final Clock clock;
    private final UrlRedactor redactor;

    HttpProbe(ProbeConfig config, ClientFactory factory, Ticker ticker, Clock clock) {
        this.config = config;
        this.client = WebClient.builder().factory(factory).responseTimeout(config.timeout())
                .maxResponseLength(4L * 1024 * 1024).build();
        this.ticker = ticker;
        this.clock = clock;
        this.redactor = new UrlRedactor(config.url());
    }

    @Override
    public ProbeConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<Observation> run() {
        long start = ticker.nanos();
        HttpRequest request;
        if (config.type() == ProbeConfig.Type.JSONRPC) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":" + quote(config.method()) + ",\"params\":"
                    + config.params() + "}";
            request = HttpRequest.builder().post(config.url().toString())
                    .content(com.linecorp.armeria.common.MediaType.JSON_UTF_8, body).build();
        } else {
            request = HttpRequest.builder().get(config.url().toString()).build();
        }
        return client.execute(request).aggregate().handle((response, error) -> {
            double ms = (ticker.nanos() - start) / 1e6;
            if (error != null) {
                return ProbeFailures.of(error, ms, redactor);
            }
            return judge(response, ms);
        });
    }

    private Observation judge(AggregatedHttpResponse response, double ms) {
        int status = response.status().code();
        if (status != expectedStatus()) {
            String prefix = response.content().length() == 0 ? ""
                    : new String(response.content().array(), 0, Math.min(response.content().length(),
                            Attributor.BODY_PREFIX_CHARS), StandardCharsets.UTF_8);
            Attribution a = Attributor.attribute(status, response.headers(), prefix);
            String detail = a.known() ? a.vendor().label() + " " + status + (a.location() == null ? "" : " at " + a.location())
                                      : "HTTP " + status + ", expected " + expectedStatus();
            return Observation.failure(a.known() ? "vendor_page" : "http_status", detail, a.vendor(), a.source(), a.location(), ms);
        }
        if (config.maxLatency() != null && ms > config.maxLatency().toMillis()) {
            return Observation.failure("latency", String.format(java.util.Locale.ROOT, "took %.0f ms, limit %d ms", ms,
                    config.maxLatency().toMillis()), null, null, ms);
        }
        for (Map.Entry<String, String> h : config.headers().entrySet()) {
            String actual = response.headers().get(h.getKey());
            if (actual == null || !actual.contains(h.getValue())) {
                return Observation.failure("header", "header " + h.getKey() + " is "
                        + (actual == null ? "missing" : "\"" + actual + "\"") + ", expected it to contain "
                        + h.getValue(), null, null, ms);
            }
        }
        boolean rpc = config.type() == ProbeConfig.Type.JSONRPC;
        if (!config.conditions().isEmpty() || rpc) {
            JsonNode doc;
            try {
                doc = JSON.readTree(response.content().array());
            } catch (IOException e) {
                doc = null;
            }
            if (doc == null || doc.isMissingNode()) {
                return Observation.failure("bad_response", "body is not JSON", null, null, ms);
            }
            if (rpc && doc.hasNonNull("error") && config.conditions().stream().noneMatch(c -> c.path().contains("error"))) {
                return Observation.failure("node_error", redactor.scrub("JSON-RPC error " + doc.get("error").path("code")
                        .asText() + ": " + doc.get("error").path("message").asText()), null, null, ms);
            }
            String failing = Conditions.firstFailing(doc, config.conditions(), clock.instant());
            if (failing != null) {
                return Observation.failure("condition", failing, null, null, ms);
            }
        }
        return Observation.success(ms);
    }

    private int expectedStatus() {
        return config.type() == ProbeConfig.Type.JSONRPC ? 200 : config.expectStatus();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
