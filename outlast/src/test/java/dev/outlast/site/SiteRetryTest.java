package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.outlast.attribution.Attribution;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.routing.retry.RetryPolicy;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.FakeScheduler;
import dev.outlast.testing.FakeTicker;
import dev.outlast.testing.RawHttp;
import dev.outlast.testing.ResettingOrigin;
import dev.outlast.transport.FailureKind;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A site request retries its origins on routing's retry engine: transient failures within the
 * budget, after the policy's pauses, flaky before dead, within the request's deadline, and only
 * when the request may be sent again. Time is a {@link FakeTicker} and the pauses run on a
 * {@link FakeScheduler}, so a pause is seen to end exactly when the policy says; the origins are
 * real servers on port 0.
 */
class SiteRetryTest {

    private static final ClientFactory FACTORY = ClientFactory.ofDefault();
    private static final RetryPolicy POLICY = RetryPolicy.DEFAULT;

    private final FakeTicker ticker = new FakeTicker();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final EventLoop loop = FACTORY.eventLoopGroup().next();
    private final List<FakeOrigin> origins = new ArrayList<>();
    private final AtomicInteger failovers = new AtomicInteger();
    private final SiteListener listener = new SiteListener() {
        @Override
        public void onSiteFailover(String site, String origin, String vendor) {
            failovers.incrementAndGet();
        }
    };
    private Site site;

    @AfterEach
    void close() {
        if (site != null) {
            site.close();
        }
        origins.forEach(FakeOrigin::close);
    }

    @Test
    void aGetWhoseOnlyOriginResetItsConnectionIsRetriedAfterTheFullPauseAndAnswered() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            raw.setSoTimeout(10_000);
            site = site(Map.of("only", URI.create("http://127.0.0.1:" + raw.getLocalPort())), s -> s);
            CompletableFuture<AggregatedHttpResponse> response = get("/prices");
            try (Socket first = RawHttp.answer(raw, "")) {
                first.setSoLinger(true, 0);
            }
            awaitPause(response);

            Duration pause = Duration.ofNanos(POLICY.spacingNanos(FailureKind.RESET, 1));
            assertThat(pause).isEqualTo(Duration.ofMillis(20));
            scheduler.advance(pause.minusMillis(1));
            assertThat(scheduler.pending()).as("still pausing").isEqualTo(1);
            assertThat(response).isNotDone();

            scheduler.advance(Duration.ofMillis(1));
            Socket second = RawHttp.answer(raw, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
            try (second) {
                AggregatedHttpResponse answer = response.join();
                assertThat(answer.status().code()).isEqualTo(200);
                assertThat(answer.contentUtf8()).isEqualTo("ok");
            }
        }
    }

    @Test
    void aVendorPageIsRetriedAfterTheShorterPause() {
        FakeOrigin only = origin("only").vendorPage("cloudflare-522.http", 522);
        site = site(only);
        CompletableFuture<AggregatedHttpResponse> response = get("/prices");
        awaitPause(response);
        only.serve("prices");

        Duration pause = Duration.ofNanos(POLICY.spacingNanos(FailureKind.VENDOR_PAGE, 1));
        assertThat(pause).isEqualTo(Duration.ofMillis(10))
                .isLessThan(Duration.ofNanos(POLICY.spacingNanos(FailureKind.RESET, 1)));
        scheduler.advance(pause.minusMillis(1));
        assertThat(scheduler.pending()).as("still pausing").isEqualTo(1);
        assertThat(only.received()).hasSize(1);

        scheduler.advance(Duration.ofMillis(1));
        assertThat(response.join().contentUtf8()).isEqualTo("prices");
        assertThat(only.received()).hasSize(2);
    }

    @Test
    void aPostThatMayHaveReachedItsOriginIsNotRetried() {
        FakeOrigin only = origin("only").status(502);
        site = site(only);

        AggregatedHttpResponse response = answered(post("/orders", "{\"buy\":1}"));

        assertThat(response.status().code()).isEqualTo(502);
        assertThat(response.headers().get("x-outlast-upstream")).isEqualTo("only");
        assertThat(only.received()).hasSize(1);
    }

    @Test
    void aPostWhoseConnectionWasResetAfterItWasSentIsNotSentAgain() throws Exception {
        try (ResettingOrigin resetting = new ResettingOrigin()) {
            site = site(Map.of("only", resetting.uri()), s -> s);

            AggregatedHttpResponse response = answered(post("/orders", "{\"buy\":1}"));

            assertThat(response.status().code()).isEqualTo(502);
            assertThat(response.contentUtf8()).contains("\"failure\":\"reset\"", "\"notReceived\":false");
            assertThat(resetting.requests()).isEqualTo(1);
        }
    }

    @Test
    void aPostTheFirstOriginNeverGotIsNotSentBackToItOnceTheSecondMayHaveRunIt() {
        FakeOrigin first = origin("first").vendorPage("cloudflare-522.http", 521);
        FakeOrigin second = origin("second").status(502);
        site = site(first, second);

        AggregatedHttpResponse response = answered(post("/orders", "{\"buy\":1}"));

        assertThat(response.status().code()).isEqualTo(502);
        assertThat(response.headers().get("x-outlast-upstream")).isEqualTo("second");
        assertThat(first.received()).as("its 521 was worth a retry, but the POST may have run on second")
                .hasSize(1);
        assertThat(second.received()).hasSize(1);
    }

    @Test
    void aGetIsSentBackToTheFirstOriginAfterTheSecondFailedToo() {
        FakeOrigin first = origin("first").vendorPage("cloudflare-522.http", 521);
        FakeOrigin second = origin("second").status(502);
        site = site(first, second);
        CompletableFuture<AggregatedHttpResponse> response = get("/prices");
        awaitPause(response);
        first.serve("prices");

        scheduler.advance(Duration.ofNanos(POLICY.spacingNanos(FailureKind.VENDOR_PAGE, 1)));

        assertThat(response.join().contentUtf8()).isEqualTo("prices");
        assertThat(first.received()).hasSize(2);
        assertThat(second.received()).hasSize(1);
    }

    @Test
    void aPostIsRetriedWhenTheVendorPageProvesItsOriginNeverGotIt() {
        FakeOrigin only = origin("only").vendorPage("cloudflare-522.http", 521);
        site = site(only);
        CompletableFuture<AggregatedHttpResponse> response = post("/orders", "{\"buy\":1}");
        awaitPause(response);
        only.handler(req -> HttpResponse.of("done " + req.contentUtf8()));

        scheduler.advance(Duration.ofNanos(POLICY.spacingNanos(FailureKind.VENDOR_PAGE, 1)));

        assertThat(response.join().contentUtf8()).isEqualTo("done {\"buy\":1}");
        assertThat(only.received()).extracting(FakeOrigin.Received::body).containsExactly("{\"buy\":1}", "{\"buy\":1}");
    }

    @Test
    void aGetAgainstAnOriginFailingEveryCallStopsAtTheBudgetWithItsError() {
        FakeOrigin only = origin("only").status(502);
        site = site(only);
        long start = ticker.nanos();

        AggregatedHttpResponse response = drive(get("/prices"));

        assertThat(response.status().code()).isEqualTo(502);
        assertThat(response.headers().get("x-outlast-upstream")).isEqualTo("only");
        assertThat(only.received()).hasSize(1 + POLICY.retryBudget());
        assertThat(failovers).as("each retry moved on from a failure").hasValue(POLICY.retryBudget());
        long pauses = 0;
        for (int attempts = 1; attempts <= POLICY.retryBudget(); attempts++) {
            pauses += POLICY.spacingNanos(FailureKind.HTTP_5XX, attempts);
        }
        assertThat(Duration.ofNanos(ticker.nanos() - start)).as("the pauses, growing with the attempts")
                .isEqualTo(Duration.ofNanos(pauses));
    }

    @Test
    void aGetAgainstAnOriginFailingEveryCallGetsTheStaleCopyOnceTheBudgetIsSpent() {
        FakeOrigin only = origin("only").serve("prices v1", "cache-control", "max-age=0, stale-if-error=600");
        site = site(only);
        assertThat(get("/prices").join().contentUtf8()).isEqualTo("prices v1");
        await().until(() -> site.cacheStats()[0] == 1);
        only.status(503);

        AggregatedHttpResponse stale = drive(get("/prices"));

        assertThat(stale.contentUtf8()).isEqualTo("prices v1");
        assertThat(stale.headers().get("x-outlast-cache")).isEqualTo("stale-if-error");
        assertThat(only.received()).hasSize(1 + 1 + POLICY.retryBudget());
    }

    @Test
    void theRetryBudgetIsSharedAcrossOrigins() {
        FakeOrigin first = origin("first").status(502);
        FakeOrigin second = origin("second").status(503);
        site = site(first, second);

        AggregatedHttpResponse response = drive(get("/prices"));

        assertThat(response.status().code()).isBetween(502, 503);
        assertThat(first.received().size() + second.received().size()).isEqualTo(2 + POLICY.retryBudget());
        assertThat(first.received()).as("spread, not spent on one").hasSize(second.received().size());
    }

    @Test
    void anOriginFailingNearlyEveryCallIsNotRetriedWhileAFlakyOneIs() {
        FakeOrigin flaky = origin("flaky").status(502);
        FakeOrigin dead = origin("dead").status(502);
        site = site(flaky, dead);
        Origin deadOrigin = site.origins().get(1);
        while (!POLICY.isDead(deadOrigin.errorRate())) {
            deadOrigin.failed(new OriginFailure(Clock.systemUTC().instant(), FailureKind.HTTP_5XX, 502,
                                                Attribution.UNKNOWN, false, "HTTP 502"), 0);
        }
        CompletableFuture<AggregatedHttpResponse> response = get("/prices");
        awaitPause(response);
        flaky.serve("prices");

        assertThat(drive(response).contentUtf8()).isEqualTo("prices");
        assertThat(flaky.received()).hasSize(2);
        assertThat(dead.received()).as("asked once, as a last resort").hasSize(1);
    }

    @Test
    void retriesEndAtTheRequestsDeadline() {
        Duration responseTimeout = Duration.ofSeconds(1);
        Duration slowFailure = Duration.ofMillis(700);
        FakeOrigin only = origin("only");
        only.handler(req -> {
            ticker.advance(slowFailure);
            return HttpResponse.of(HttpStatus.BAD_GATEWAY);
        });
        site = site(Map.of("only", only.uri()), s -> new SiteConfig(s.id(), s.host(), s.origins(), s.healthCheck(),
                responseTimeout, s.staleIfError(), s.staleWhileRevalidate(), s.retryBufferBytes(), s.cacheBytes()));
        long start = ticker.nanos();

        AggregatedHttpResponse response = drive(get("/prices"));

        assertThat(response.status().code()).isEqualTo(502);
        // failed at 0.7 s, retried at 0.71 s, failed at 1.41 s, retried at 1.43 s, failed at 2.13 s:
        // past the deadline of twice the response timeout
        assertThat(only.received()).hasSize(3);
        assertThat(ticker.nanos() - start).isGreaterThan(OriginRetries.deadlineNanos(responseTimeout));
    }

    private FakeOrigin origin(String name) {
        FakeOrigin origin = new FakeOrigin(name);
        origins.add(origin);
        return origin;
    }

    /** A site over {@code list}, in order, on this test's ticker and scheduler; its checks are not started. */
    private Site site(FakeOrigin... list) {
        Map<String, URI> map = new LinkedHashMap<>();
        for (FakeOrigin origin : list) {
            map.put(origin.name(), origin.uri());
        }
        return site(map, s -> s);
    }

    private Site site(Map<String, URI> list, UnaryOperator<SiteConfig> tweak) {
        List<OriginConfig> configs = new ArrayList<>();
        list.forEach((name, uri) -> configs.add(new OriginConfig(name, uri)));
        return new Site(tweak.apply(SiteConfig.of("app", "app.test", configs)), FACTORY, scheduler, ticker,
                        Clock.systemUTC(), listener);
    }

    private CompletableFuture<AggregatedHttpResponse> get(String path) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.GET, path).authority("app.test").build();
        return CompletableFuture.supplyAsync(() -> site.serve(headers, new Client(loop, null, false)), loop)
                .thenCompose(f -> f).thenCompose(HttpResponse::aggregate);
    }

    private CompletableFuture<AggregatedHttpResponse> post(String path, String body) {
        HttpRequest request = HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, path).authority("app.test")
                                                     .contentType(com.linecorp.armeria.common.MediaType.JSON).build(),
                                             HttpData.ofUtf8(body));
        ServiceRequestContext ctx = ServiceRequestContext.builder(request).eventLoop(loop).build();
        return CompletableFuture.supplyAsync(() -> site.serve(ctx, request), loop)
                .thenCompose(HttpResponse::aggregate);
    }

    /** Waits until the request answered or armed the pause before a retry. */
    private void awaitPause(CompletableFuture<?> response) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                .until(() -> response.isDone() || scheduler.pending() > 0);
    }

    /** The response, which came without a pause: no retry was waiting for the test to let time pass. */
    private AggregatedHttpResponse answered(CompletableFuture<AggregatedHttpResponse> response) {
        awaitPause(response);
        assertThat(scheduler.pending()).as("no retry waiting").isZero();
        assertThat(response).isDone();
        return response.join();
    }

    /** Lets the request's pauses pass, a millisecond at a time, until it is answered. */
    private AggregatedHttpResponse drive(CompletableFuture<AggregatedHttpResponse> response) {
        for (awaitPause(response); !response.isDone(); awaitPause(response)) {
            scheduler.advance(Duration.ofMillis(1));
        }
        return response.join();
    }
}
