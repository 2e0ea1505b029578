package dev.outlast.site;

import com.linecorp.armeria.client.RequestOptions;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import dev.outlast.config.HealthCheckConfig;
import dev.outlast.transport.FailureKind;
import dev.outlast.transport.client.ArmeriaFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The active health checks of one site: {@code GET path} on every origin every interval (the first
 * at once), recorded in the origin's health like live traffic. A check answered with an unexpected
 * status counts as a failure (a 5xx is attributed to its vendor); a check still running when the
 * next is due is not doubled.
 *
 * <p>Thread-safe.
 */
final class HealthChecks implements AutoCloseable {

    private static final long MAX_CHECK_BODY = 64 * 1024;

    private final Site site;
    private final ScheduledExecutorService scheduler;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    HealthChecks(Site site, ScheduledExecutorService scheduler) {
        this.site = site;
        this.scheduler = scheduler;
    }

    synchronized void start() {
        HealthCheckConfig check = site.config().healthCheck();
        for (Origin origin : site.origins()) {
            AtomicBoolean running = new AtomicBoolean();
            tasks.add(scheduler.scheduleWithFixedDelay(() -> {
                if (running.compareAndSet(false, true)) {
                    checkOnce(origin, check).whenComplete((x, e) -> running.set(false));
                }
            }, 0, check.interval().toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private java.util.concurrent.CompletableFuture<Void> checkOnce(Origin origin, HealthCheckConfig check) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.GET, origin.path(check.path()))
                .authority(origin.authority())
                .set("user-agent", "outlast-health-check")
                .build();
        RequestOptions options = RequestOptions.builder()
                .responseTimeout(check.timeout())
                .maxResponseLength(MAX_CHECK_BODY)
                .build();
        long start = site.ticker().nanos();
        return origin.client().execute(HttpRequest.of(headers), options).aggregate().handle((response, error) -> {
            long latency = site.ticker().nanos() - start;
            OriginFailure failure = error != null
                    ? Attempts.fromFailure(site, ArmeriaFailures.of(error, check.timeout()))
                    : check.accepts(response.status().code()) ? null : unexpected(response, check);
            if (failure == null) {
                origin.succeeded(latency);
            } else {
                origin.failed(failure, latency);
            }
            site.listener().onOriginObserved(site.id(), origin.name(), failure, latency);
            return null;
        });
    }

    private OriginFailure unexpected(AggregatedHttpResponse response, HealthCheckConfig check) {
        int status = response.status().code();
        if (status >= 500) {
            return Attempts.fromErrorPage(site, response.headers(), response.content().array());
        }
        String expected = check.expectedStatus() == 0 ? "200..399" : Integer.toString(check.expectedStatus());
        return new OriginFailure(site.clock().instant(), status >= 400 ? FailureKind.HTTP_4XX : FailureKind.BAD_RESPONSE,
                status, dev.outlast.attribution.Attribution.UNKNOWN, false,
                "health check got HTTP " + status + " (expected " + expected + ")");
    }

    @Override
    public synchronized void close() {
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
    }
}
