package dev.outlast.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.MediaType;
import dev.outlast.config.AlertsConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to the configured webhooks: a JSON document ({@code {"event", "text",
 * "incident"}}) or Slack's {@code {"text": ...}}.
 *
 * <p>Each alert is posted to each receiver at most once per {@link Alert#dedupKey()} (remembered
 * for a day); a 2xx answer delivers it. A 5xx, 408, 429 or a connection failure is retried after
 * {@code backoff}, doubling, up to {@code maxAttempts}; another 4xx is not retried (the request
 * itself is wrong). Delivery never blocks the caller.
 *
 * <p>Thread-safe.
 */
public final class WebhookNotifier implements Consumer<Alert> {

    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertsConfig config;
    private final ClientFactory factory;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Cache<String, Boolean> sent = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofDays(1)).maximumSize(100_000).build();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public WebhookNotifier(AlertsConfig config, ClientFactory factory, ScheduledExecutorService scheduler, Clock clock) {
        this.config = config;
        this.factory = factory;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public void accept(Alert alert) {
        String text = IncidentJson.text(alert, clock.instant());
        log.info("alert: {}", text);
        for (AlertsConfig.Webhook hook : config.webhooks()) {
            String key = hook.name() + "|" + alert.dedupKey();
            if (sent.asMap().putIfAbsent(key, Boolean.TRUE) != null) {
                continue;
            }
            byte[] body = body(hook, alert, text);
            attempt(hook, body, 1);
        }
    }

    private byte[] body(AlertsConfig.Webhook hook, Alert alert, String text) {
        ObjectNode n = JSON.createObjectNode();
        if (hook.format() == AlertsConfig.Format.SLACK) {
            n.put("text", text);
        } else {
            n.put("event", alert.event().label());
            n.put("text", text);
            n.set("incident", IncidentJson.of(alert.incident(), clock.instant()));
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void attempt(AlertsConfig.Webhook hook, byte[] body, int attempt) {
        CompletableFuture<AggregatedHttpResponse> response;
        try {
            response = WebClient.builder().factory(factory).responseTimeout(Duration.ofSeconds(10)).build()
                    .prepare().post(hook.url().toString()).content(MediaType.JSON_UTF_8, body).execute().aggregate();
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((r, e) -> {
            int status = r == null ? 0 : r.status().code();
            if (e == null && status / 100 == 2) {
                delivered.incrementAndGet();
                return;
            }
            String why = e != null ? e.getClass().getSimpleName() : "HTTP " + status;
            boolean retryable = e != null || status >= 500 || status == 408 || status == 429;
            if (retryable && attempt < config.maxAttempts()) {
                long delay = config.backoff().toMillis() << Math.min(attempt - 1, 16);
                log.warn("alert webhook {}: {} (attempt {} of {}), retrying in {} ms", hook.name(), why, attempt,
                        config.maxAttempts(), delay);
                scheduler.schedule(() -> attempt(hook, body, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } else {
                failed.incrementAndGet();
                log.error("alert webhook {}: {} after {} attempt(s); giving up", hook.name(), why, attempt);
            }
        });
    }

    /** Deliveries that succeeded, per receiver and alert. */
    public long delivered() {
        return delivered.get();
    }

    /** Deliveries given up on. */
    public long failed() {
        return failed.get();
    }
}
