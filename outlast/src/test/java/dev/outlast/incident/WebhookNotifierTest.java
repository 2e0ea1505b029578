package dev.outlast.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import dev.outlast.attribution.Vendor;
import dev.outlast.config.AlertsConfig;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Subject;
import dev.outlast.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts delivered to a real local HTTP receiver. */
class WebhookNotifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<JsonNode>> received = new ConcurrentHashMap<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private Server receiver;
    private ClientFactory factory;
    private ScheduledExecutorService scheduler;
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void startReceiver() {
        receiver = Server.builder().http(0)
                .service("/hook/{name}", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
                    attempts.incrementAndGet();
                    if (failuresLeft.getAndDecrement() > 0) {
                        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE);
                    }
                    try {
                        received.computeIfAbsent(ctx.pathParam("name"), k -> new CopyOnWriteArrayList<>())
                                .add(JSON.readTree(agg.contentUtf8()));
                    } catch (java.io.IOException e) {
                        return HttpResponse.of(HttpStatus.BAD_REQUEST);
                    }
                    return HttpResponse.of(HttpStatus.NO_CONTENT);
                })))
                .service("/gone", (ctx, req) -> {
                    attempts.incrementAndGet();
                    return HttpResponse.of(HttpStatus.NOT_FOUND);
                })
                .build();
        receiver.start().join();
        factory = ClientFactory.builder().build();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        receiver.stop().join();
        factory.close();
        scheduler.shutdownNow();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + receiver.activeLocalPort() + path);
    }

    private WebhookNotifier notifier(AlertsConfig.Webhook... hooks) {
        return new WebhookNotifier(new AlertsConfig(List.of(hooks), 4, Duration.ofMillis(50)), factory, scheduler, clock);
    }

    private static IncidentView incident(boolean open, Vendor vendor) {
        Instant opened = Instant.parse("2026-11-27T03:00:00Z");
        return new IncidentView("inc-1", null, List.of(), Subject.chainUpstream("devnet", "alpha"), open,
                Health.DOWN, vendor, List.of("FRA"), opened, open ? null : opened.plusSeconds(125), null,
                List.of(new TimelineEntry(opened, "opened", "devnet/alpha down")));
    }

    @Test
    void postsJsonAndSlackBodiesOnceEach() {
        WebhookNotifier notifier = notifier(new AlertsConfig.Webhook("ops", url("/hook/json"), AlertsConfig.Format.JSON),
                new AlertsConfig.Webhook("slack", url("/hook/slack"), AlertsConfig.Format.SLACK));
        Alert opened = new Alert(Alert.Event.OPENED, incident(true, Vendor.CLOUDFLARE));
        notifier.accept(opened);
        notifier.accept(opened);
        notifier.accept(new Alert(Alert.Event.RESOLVED, incident(false, Vendor.CLOUDFLARE)));

        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.delivered() == 4);
        List<JsonNode> json = received.get("json");
        assertThat(json).extracting(n -> n.path("event").asText()).containsExactly("opened", "resolved");
        assertThat(json.get(0).path("incident").path("vendor").asText()).isEqualTo("cloudflare");
        assertThat(json.get(0).path("incident").path("subject").path("id").asText()).isEqualTo("devnet/alpha");
        assertThat(json.get(1).path("incident").path("resolvedAt").asText()).isEqualTo("2026-11-27T03:02:05Z");
        List<JsonNode> slack = received.get("slack");
        assertThat(slack).extracting(n -> n.path("text").asText()).containsExactly(
                "Incident opened: devnet/alpha down, attributed to Cloudflare at FRA [inc-1]",
                "Incident resolved after 2m 5s: devnet/alpha down, attributed to Cloudflare at FRA [inc-1]");
        assertThat(slack.get(0).size()).isEqualTo(1);
    }

    @Test
    void retriesWithBackoffUntilTheReceiverAnswers() {
        failuresLeft.set(2);
        WebhookNotifier notifier = notifier(new AlertsConfig.Webhook("ops", url("/hook/json"), AlertsConfig.Format.JSON));
        notifier.accept(new Alert(Alert.Event.OPENED, incident(true, Vendor.UNKNOWN)));
        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.delivered() == 1);
        assertThat(attempts).hasValue(3);
        assertThat(received.get("json")).singleElement()
                .satisfies(n -> assertThat(n.path("incident").path("vendor").isNull()).isTrue());
    }

    @Test
    void givesUpAfterMaxAttemptsAndDoesNotRetryA404() {
        failuresLeft.set(100);
        WebhookNotifier notifier = notifier(new AlertsConfig.Webhook("down", url("/hook/json"), AlertsConfig.Format.JSON));
        notifier.accept(new Alert(Alert.Event.OPENED, incident(true, Vendor.UNKNOWN)));
        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.failed() == 1);
        assertThat(attempts).hasValue(4);

        attempts.set(0);
        WebhookNotifier wrong = notifier(new AlertsConfig.Webhook("gone", url("/gone"), AlertsConfig.Format.SLACK));
        wrong.accept(new Alert(Alert.Event.OPENED, incident(true, Vendor.UNKNOWN)));
        await().atMost(Duration.ofSeconds(10)).until(() -> wrong.failed() == 1);
        assertThat(attempts).hasValue(1);
    }
}
