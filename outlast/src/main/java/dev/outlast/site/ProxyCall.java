package dev.outlast.site;

import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.ClientRequestContextCaptor;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.client.RequestOptions;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import dev.outlast.time.Timers;
import dev.outlast.transport.FailureKind;
import dev.outlast.transport.OutlastHeaders;
import dev.outlast.transport.client.ArmeriaFailures;
import dev.outlast.transport.client.CallFailure;
import dev.outlast.transport.client.OriginClient;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client request to a site: served from the cache when fresh, else sent to the origins in
 * order until one answers, following {@link FailoverRules}, then to those whose failure was
 * transient again, within the retry budget and after the pauses of routing's retry policy
 * ({@link OriginRetries}); when every attempt fails, a stale copy (stale-if-error) or the last error
 * is served.
 *
 * <h2>Implementation note</h2>
 * Everything runs on the client request's event loop, so the state needs no locks. An attempt is
 * decided on its response headers: below 500 the response is accepted and goes to the client
 * ({@link Relay}); from 500 up, the body (an error page, a few KiB; at most {@link ErrorBody#LIMIT})
 * is read so the vendor can be attributed, and the next origin is asked if the rules allow it. The
 * response timeout covers the wait for the headers only. A request without a body goes through the
 * origin's {@link OriginClient} (nothing to stream or replay), one with a body through Armeria's
 * client fed by {@link ReplayableBody}; both fail with a
 * {@link dev.outlast.transport.client.CallFailure} ({@link ArmeriaFailures} maps Armeria's). Nothing
 * for retries is made before a failure needs it.
 *
 * <p>Not thread-safe: confined to the request's event loop.
 */
final class ProxyCall {

    private final Site site;
    private final Client client;
    private final RequestHeaders headers;
    private final EventExecutor loop;
    private final boolean repeatable;
    private final boolean revalidation;
    private final ReplayableBody body;
    private final List<Origin> order;
    private final List<Origin> deferred = new ArrayList<>();
    private int nextInOrder;
    private int nextDeferred;
    private final List<Origin> tried = new ArrayList<>();
    private final List<OriginFailure> failures = new ArrayList<>();
    private final CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    private final long start;
    private CachedResponse cached;
    private HttpResponse lastErrorPage;
    private OriginRetries retries;

    ProxyCall(Site site, Client client, HttpRequest req, boolean revalidation) {
        this.site = site;
        this.client = client;
        this.headers = req.headers();
        this.loop = client.loop();
        this.repeatable = FailoverRules.repeatable(headers);
        this.revalidation = revalidation;
        this.body = new ReplayableBody(req, loop, site.config().retryBufferBytes());
        this.order = site.order();
        this.start = site.ticker().nanos();
    }

    /** The response, as a stream that starts when it is known. */
    HttpResponse run() {
        CompletableFuture<HttpResponse> response = start();
        HttpResponse ready = response.getNow(null);
        return ready != null ? ready : HttpResponse.of(response);
    }

    /** The response: at once when it comes from the cache, else once an origin answered or all failed. */
    CompletableFuture<HttpResponse> start() {
        if (!revalidation && site.cache().eligible(headers)) {
            cached = site.cache().lookup(headers);
            if (cached != null) {
                long now = site.ticker().nanos();
                switch (cached.use(now)) {
                    case FRESH -> {
                        body.abandon();
                        return CompletableFuture.completedFuture(done("hit", cached.serve(now, "hit", head())));
                    }
                    case STALE_WHILE_REVALIDATE -> {
                        body.abandon();
                        site.revalidate(client, headers.method() == HttpMethod.GET ? headers
                                : headers.toBuilder().method(HttpMethod.GET).build());
                        return CompletableFuture.completedFuture(
                                done("stale", cached.serve(now, "stale-while-revalidate", head())));
                    }
                    default -> { }
                }
            }
        }
        onLoop(this::attemptNext);
        return result;
    }

    /**
     * The next origin to ask, or null: in {@link Site#order()}, a usable origin only if it admits the
     * request now (a recovering one takes one request at a time; asking it at the moment of the
     * attempt keeps an unused reservation from blocking it), the others after them as last resorts.
     */
    private Origin nextOrigin() {
        while (nextInOrder < order.size()) {
            Origin o = order.get(nextInOrder++);
            if (o.health().isUsable() && o.health().tryAdmit()) {
                return o;
            }
            deferred.add(o);
        }
        return nextDeferred < deferred.size() ? deferred.get(nextDeferred++) : null;
    }

    private boolean hasMoreOrigins() {
        return nextInOrder < order.size() || nextDeferred < deferred.size();
    }

    /** Asks the next origin of the first pass over {@link Site#order()}. */
    private void attemptNext() {
        Origin origin = nextOrigin();
        if (retries != null) {
            retries.asked(origin);
        }
        attempt(origin, site.config().responseTimeout());
    }

    private void attempt(Origin origin, Duration responseTimeout) {
        tried.add(origin);
        String path = origin.path(headers.path());
        long attemptStart = site.ticker().nanos();
        HttpResponse response;
        ClientRequestContext captured = null;
        // the direct client gives the headers as the client gets them (ForwardedHeaders.toClient)
        boolean forClient = body.empty() && origin.direct() != null;
        if (forClient) {
            // no body to stream or replay: the direct client, whose timeout ends with the headers
            // (it rewrites the client's headers for the origin as it copies them)
            io.netty.handler.codec.http.HttpHeaders out = OriginClient.newRequestHeaders();
            ForwardedHeaders.toOrigin(headers, origin.authority(), client, out);
            response = origin.direct().execute(headers.method(), path, out, responseTimeout, origin.name());
        } else {
            RequestHeaders out = ForwardedHeaders.toOrigin(headers, path, origin.authority(), client);
            HttpRequest request = body.attempt(out);
            RequestOptions options = RequestOptions.builder().responseTimeout(responseTimeout).build();
            try (ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
                response = ArmeriaFailures.mapped(origin.client().execute(request, options), responseTimeout);
                captured = captor.getOrNull();
            }
        }
        ClientRequestContext cctx = captured;
        // on the request's loop, named rather than left to Armeria's default executor, which is
        // any event loop where no request context is current (every chunk would change threads)
        SplitHttpResponse split = response.split(loop);
        // split on the loop: the headers arrive there (no task handed to it, as handleAsync would)
        split.headers().handle((h, e) -> {
            onLoop(() -> attempted(origin, response, split, h, e, attemptStart, forClient, cctx));
            return null;
        });
    }

    /** An attempt's response headers (or its failure) are in: accept them, or fail over. */
    private void attempted(Origin origin, HttpResponse response, SplitHttpResponse split, ResponseHeaders h,
                           Throwable e, long attemptStart, boolean forClient, ClientRequestContext cctx) {
        long latency = site.ticker().nanos() - attemptStart;
        if (e != null) {
            response.abort();
            failed(origin, Attempts.fromFailure(site, CallFailure.of(e)), latency, null);
        } else if (h.status().isServerError()) {
            ErrorBody.read(split.body(), loop).thenAcceptAsync(bytes -> {
                OriginFailure f = Attempts.fromErrorPage(site, h, bytes);
                HttpResponse page = bytes == null ? null
                        : HttpResponse.of(forClient ? h : ForwardedHeaders.toClient(h, OutlastHeaders.UPSTREAM, origin.name()),
                                          HttpData.wrap(bytes));
                failed(origin, f, latency, page);
            }, loop);
        } else {
            if (cctx != null) {
                cctx.clearResponseTimeout();
            }
            origin.succeeded(latency);
            site.listener().onOriginReply(site.id(), origin.name(), "ok", "none", latency);
            site.listener().onOriginObserved(site.id(), origin.name(), null, latency);
            body.commit();
            if (lastErrorPage != null) {
                lastErrorPage.abort();
                lastErrorPage = null;
            }
            Relay.accept(this, origin, h,
                         forClient ? h : ForwardedHeaders.toClient(h, OutlastHeaders.UPSTREAM, origin.name()), split);
        }
    }

    /**
     * An attempt failed: the next origin of the first pass is asked, or a retry, when the rules
     * allow sending the request again; else the request gives up.
     */
    private void failed(Origin origin, OriginFailure failure, long latency, HttpResponse page) {
        boolean allowed = FailoverRules.mayRetry(repeatable, failure);
        boolean again = allowed && body.replayable();
        if (again && retries == null && OriginRetries.isTransient(failure.kind())) {
            // before the failure is recorded: each origin's run of failures as the request found it
            retries = new OriginRetries(site.ticker(), site.config().responseTimeout(), start, tried);
        }
        origin.failed(failure, latency);
        site.listener().onOriginReply(site.id(), origin.name(), failure.kind().label(), failure.vendorLabel(),
                                      latency);
        site.listener().onOriginObserved(site.id(), origin.name(), failure, latency);
        failures.add(failure);
        if (lastErrorPage != null) {
            lastErrorPage.abort();
        }
        lastErrorPage = page;
        if (again) {
            if (retries != null) {
                retries.failed(origin, failure.kind());
            }
            if (hasMoreOrigins()) {
                site.listener().onSiteFailover(site.id(), origin.name(), failure.vendorLabel());
                attemptNext();
                return;
            }
            if (retryOrWait(origin, failure)) {
                return;
            }
        }
        String notRetried = null;
        if (hasMoreOrigins() && !allowed) {
            notRetried = headers.method() + " without Idempotency-Key after " + failure.detail()
                         + ": the origin may have received it";
        } else if (hasMoreOrigins()) {
            notRetried = "request body longer than the retry buffer (" + site.config().retryBufferBytes()
                         + " bytes)";
        }
        giveUp(failure, notRetried);
    }

    /**
     * Makes the retry due now, or arms a timer for the first to come due (on the site's scheduler:
     * the request's own loop in production); false when none is left within the budget and the
     * deadline. A request moving on from {@code failed} (null after a pause) counts as a failover.
     */
    private boolean retryOrWait(Origin failed, OriginFailure failure) {
        if (retries == null) {
            return false;
        }
        Origin origin = retries.next();
        long wait = origin == null ? retries.waitNanos() : 0;
        if (wait < 0) {
            return false;
        }
        if (failed != null) {
            site.listener().onSiteFailover(site.id(), failed.name(), failure.vendorLabel());
        }
        if (origin != null) {
            attempt(origin, retries.timeout());
        } else {
            Timers.schedule(site.scheduler(), () -> onLoop(this::afterPause), wait);
        }
        return true;
    }

    private void afterPause() {
        if (!retryOrWait(null, null)) {
            giveUp(failures.getLast(), null);
        }
    }

    private void giveUp(OriginFailure last, String notRetried) {
        body.abandon();
        long now = site.ticker().nanos();
        if (cached != null && cached.use(now) != CachedResponse.Use.EXPIRED) {
            if (lastErrorPage != null) {
                lastErrorPage.abort();
            }
            complete("stale", cached.serve(now, "stale-if-error", head()));
            return;
        }
        if (lastErrorPage != null) {
            HttpResponse page = lastErrorPage;
            if (notRetried != null) {
                page = page.mapHeaders(h -> h.toBuilder().set(OutlastHeaders.NOT_RETRIED, notRetried).build());
            }
            complete("origin_error", page);
            return;
        }
        HttpStatus status = last.kind() == FailureKind.TIMEOUT ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
        complete("failed", error(status, notRetried != null ? "not_retried" : "all_origins_failed",
                                 notRetried != null ? "The origin failed and the request was not sent to another: "
                                                      + notRetried
                                                    : "Every origin of site " + site.id() + " failed",
                                 notRetried));
    }

    private HttpResponse error(HttpStatus status, String reason, String message, String notRetried) {
        List<SiteErrors.Failed> origins = new ArrayList<>(failures.size());
        for (int i = 0; i < failures.size(); i++) {
            origins.add(SiteErrors.Failed.of(tried.get(i), failures.get(i)));
        }
        return SiteErrors.response(status, reason, message, site.id(), origins, notRetried);
    }

    /** A response {@link Relay} was reading whole broke off: nothing was sent, so the client gets an error. */
    void brokeOff(Origin origin, Throwable e) {
        complete("failed", error(HttpStatus.BAD_GATEWAY, SiteErrors.RESPONSE_FAILED,
                "The response of origin " + origin.name() + " broke off before its end: "
                + origin.redactor().scrub(Attempts.shorten(CallFailure.of(e).getMessage())), null));
    }

    Site site() {
        return site;
    }

    RequestHeaders headers() {
        return headers;
    }

    EventExecutor loop() {
        return loop;
    }

    /** Runs {@code task} now when on the request's loop (most often: the body had already arrived), else on it. */
    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private boolean head() {
        return headers.method() == HttpMethod.HEAD;
    }

    void complete(String outcome, HttpResponse response) {
        site.listener().onSiteRequest(site.id(), outcome, site.ticker().nanos() - start);
        result.complete(response);
    }

    private HttpResponse done(String outcome, HttpResponse response) {
        site.listener().onSiteRequest(site.id(), outcome, site.ticker().nanos() - start);
        return response;
    }
}
