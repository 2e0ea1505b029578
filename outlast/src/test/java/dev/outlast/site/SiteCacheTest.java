package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.routing.retry.RetryPolicy;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** Stale-if-error, stale-while-revalidate and freshness hits, and what is never shared. */
@BothPaths
class SiteCacheTest {

    @Parameter
    private ServerPath path;

    private final FakeOrigin first = new FakeOrigin("first");
    private final FakeOrigin second = new FakeOrigin("second");
    private TestSite site;

    @AfterEach
    void close() {
        if (site != null) {
            site.close();
        }
        first.close();
        second.close();
    }

    /** A chunked body is stored when its stream ends, which may be a moment after the client has it. */
    private void awaitCached(int entries) {
        await().untilAsserted(() -> assertThat(site.site().cache().stats()[0]).isGreaterThanOrEqualTo(entries));
    }

    private void everyOriginFails() {
        first.status(503);
        second.vendorPage("cloudflare-522.http", 522);
    }

    /**
     * An origin's error passed on, not a stored copy: after {@link #everyOriginFails} either origin
     * may have had the request's last attempt, as the retries alternate between them.
     */
    private static void assertOriginError(AggregatedHttpResponse response) {
        assertThat(response.status().code()).isIn(503, 522);
        assertThat(response.headers().get("x-outlast-upstream")).isIn("first", "second");
        assertThat(response.headers().get("x-outlast-cache")).isNull();
    }

    /**
     * The attempts that failed once {@link #everyOriginFails} after one good answer of the first
     * origin: each origin once, then retries of both within the request's retry budget.
     */
    private int failedAttempts() {
        return first.received().size() - 1 + second.received().size();
    }

    @Test
    void staleIfErrorServesTheLastGoodCopyWithAgeWhenEveryOriginFails() {
        first.serve("prices v1", "cache-control", "max-age=0, stale-if-error=600", "age", "100");
        site = TestSite.start(path, first.uri(), second.uri());
        AggregatedHttpResponse fresh = site.get("/prices");
        assertThat(fresh.contentUtf8()).isEqualTo("prices v1");
        assertThat(fresh.headers().get("x-outlast-cache")).isNull();
        awaitCached(1);

        everyOriginFails();
        AggregatedHttpResponse stale = site.get("/prices");

        assertThat(stale.status().code()).isEqualTo(200);
        assertThat(stale.contentUtf8()).isEqualTo("prices v1");
        assertThat(stale.headers().get("x-outlast-cache")).isEqualTo("stale-if-error");
        assertThat(stale.headers().get("x-outlast-upstream")).isEqualTo("first");
        assertThat(Long.parseLong(stale.headers().get("age"))).isBetween(100L, 160L);
        assertThat(failedAttempts()).isEqualTo(2 + RetryPolicy.DEFAULT.retryBudget());
        assertThat(second.received()).isNotEmpty();
    }

    @Test
    void headIsAnsweredFromWhatAGetStored() {
        first.serve("prices v1", "cache-control", "max-age=60");
        site = TestSite.start(path, first.uri(), second.uri());
        site.get("/prices");
        awaitCached(1);

        AggregatedHttpResponse head = site.send(HttpMethod.HEAD, "/prices", null);

        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.headers().get("x-outlast-cache")).isEqualTo("hit");
        assertThat(head.headers().contentLength()).isEqualTo("prices v1".length());
        assertThat(head.content().isEmpty()).isTrue();
        assertThat(first.received()).hasSize(1);
    }

    @Test
    void headGetsTheStaleCopysHeadersWhenEveryOriginFails() {
        first.serve("prices v1", "cache-control", "max-age=0, stale-if-error=600");
        site = TestSite.start(path, first.uri(), second.uri());
        site.get("/prices");
        awaitCached(1);
        everyOriginFails();

        AggregatedHttpResponse head = site.send(HttpMethod.HEAD, "/prices", null);

        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.headers().get("x-outlast-cache")).isEqualTo("stale-if-error");
        assertThat(head.content().isEmpty()).isTrue();
        assertThat(failedAttempts()).isEqualTo(2 + RetryPolicy.DEFAULT.retryBudget());
        assertThat(first.received().get(1).headers().method()).isEqualTo(HttpMethod.HEAD);
    }

    @Test
    void staleIfErrorUsesTheSiteDefaultWhenTheResponseDoesNotSay() {
        first.serve("home", "cache-control", "public, max-age=0");
        site = TestSite.start(path, first.uri(), second.uri());
        site.get("/");
        awaitCached(1);
        everyOriginFails();
        assertThat(site.get("/").headers().get("x-outlast-cache")).isEqualTo("stale-if-error");
    }

    @Test
    void staleWindowOverMeansTheErrorGoesThrough() {
        first.serve("old", "cache-control", "max-age=0, stale-if-error=0", "age", "5");
        site = TestSite.start(path, first.uri(), second.uri());
        site.get("/old");
        everyOriginFails();
        assertOriginError(site.get("/old"));
    }

    @Test
    void noStoreAndPrivateResponsesAreNeverServedStale() {
        first.handler(req -> HttpResponse.of(
                ResponseHeaders.of(HttpStatus.OK, "cache-control",
                        switch (req.path()) {
                            case "/a" -> "no-store";
                            case "/b" -> "private, max-age=60";
                            default -> "public, max-age=0";
                        }),
                HttpData.ofUtf8("secret " + req.path())));
        site = TestSite.start(path, first.uri(), second.uri());
        site.get("/a");
        site.get("/b");
        site.get("/c");
        awaitCached(1);
        everyOriginFails();
        assertOriginError(site.get("/a"));
        assertOriginError(site.get("/b"));
        assertThat(site.get("/c").contentUtf8()).isEqualTo("secret /c");
        assertThat(site.site().cache().stats()[0]).isEqualTo(1);
    }

    @Test
    void perUserRequestsAreNeitherStoredNorAnsweredFromTheCache() {
        first.serve("balance of alice", "cache-control", "max-age=60");
        site = TestSite.start(path, first.uri(), second.uri());
        site.get("/me", "cookie", "session=alice");
        site.get("/me", "authorization", "Bearer alice");
        everyOriginFails();
        assertOriginError(site.get("/me"));

        first.serve("public page", "cache-control", "max-age=60");
        assertThat(site.get("/public").contentUtf8()).isEqualTo("public page");
        AggregatedHttpResponse withCookie = site.get("/public", "cookie", "session=bob");
        assertThat(withCookie.headers().get("x-outlast-cache")).isNull();
        assertThat(first.received()).filteredOn(r -> r.headers().path().equals("/public")).hasSize(2);
    }

    @Test
    void freshResponsesAreServedFromTheCacheWithAge() {
        first.serve("fresh", "cache-control", "max-age=60");
        site = TestSite.start(path, first.uri(), second.uri());
        site.get("/f");
        awaitCached(1);
        AggregatedHttpResponse hit = site.get("/f");
        assertThat(hit.contentUtf8()).isEqualTo("fresh");
        assertThat(hit.headers().get("x-outlast-cache")).isEqualTo("hit");
        assertThat(hit.headers().get("age")).isNotNull();
        assertThat(first.received()).hasSize(1);
    }

    @Test
    void staleWhileRevalidateAnswersAtOnceAndFetchesInTheBackground() {
        first.serve("v1", "cache-control", "max-age=0, stale-while-revalidate=60");
        site = TestSite.start(path, first.uri(), second.uri());
        site.get("/swr");
        awaitCached(1);
        first.serve("v2", "cache-control", "max-age=0, stale-while-revalidate=60");

        AggregatedHttpResponse stale = site.get("/swr");
        assertThat(stale.contentUtf8()).isEqualTo("v1");
        assertThat(stale.headers().get("x-outlast-cache")).isEqualTo("stale-while-revalidate");

        await().untilAsserted(() -> assertThat(first.received()).hasSize(2));
        await().untilAsserted(() -> assertThat(site.get("/swr").contentUtf8()).isEqualTo("v2"));
    }

    @Test
    void varyKeepsVariantsApart() {
        first.handler(req -> HttpResponse.of(
                ResponseHeaders.of(HttpStatus.OK, "cache-control", "max-age=60",
                        "vary", "Accept-Language"),
                HttpData.ofUtf8("lang " + req.headers().get("accept-language"))));
        site = TestSite.start(path, first.uri(), second.uri());
        assertThat(site.get("/v", "accept-language", "de").contentUtf8()).isEqualTo("lang de");
        assertThat(site.get("/v", "accept-language", "fr").contentUtf8()).isEqualTo("lang fr");
        awaitCached(2);
        AggregatedHttpResponse fr = site.get("/v", "accept-language", "fr");
        assertThat(fr.contentUtf8()).isEqualTo("lang fr");
        assertThat(fr.headers().get("x-outlast-cache")).isEqualTo("hit");
    }
}
