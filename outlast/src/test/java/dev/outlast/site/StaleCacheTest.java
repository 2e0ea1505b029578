package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.site.CachedResponse.Use;
import dev.outlast.testing.FakeTicker;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache's windows on a fake clock, and what it refuses to store. */
class StaleCacheTest {

    private final FakeTicker ticker = new FakeTicker();
    private final StaleCache cache = new StaleCache(SiteConfig.of("app", "app.test",
            List.of(new OriginConfig("a", URI.create("http://a.test")))), ticker);
    private final RequestHeaders get = RequestHeaders.of(HttpMethod.GET, "/p");

    private void store(String cacheControl, String... more) {
        ResponseHeaders response = ResponseHeaders.builder(HttpStatus.OK).add("cache-control", cacheControl)
                .add(more.length == 0 ? "x-none" : more[0], more.length == 0 ? "" : more[1]).build();
        StaleCache.Pending pending = cache.storable(get, response, "a");
        assertThat(pending).as(cacheControl).isNotNull();
        pending.store(new byte[] {1, 2, 3});
    }

    @Test
    void freshThenStaleWhileRevalidateThenStaleIfErrorThenGone() {
        store("max-age=10, stale-while-revalidate=5, stale-if-error=30");
        assertThat(cache.lookup(get).use(ticker.nanos())).isEqualTo(Use.FRESH);
        ticker.advance(Duration.ofSeconds(12));
        assertThat(cache.lookup(get).use(ticker.nanos())).isEqualTo(Use.STALE_WHILE_REVALIDATE);
        ticker.advance(Duration.ofSeconds(10));
        assertThat(cache.lookup(get).use(ticker.nanos())).isEqualTo(Use.STALE_IF_ERROR_ONLY);
        ticker.advance(Duration.ofSeconds(20));
        assertThat(cache.lookup(get)).isNull();
    }

    @Test
    void theAgeItArrivedWithCounts() {
        store("max-age=10", "age", "8");
        ticker.advance(Duration.ofSeconds(3));
        CachedResponse entry = cache.lookup(get);
        assertThat(entry.use(ticker.nanos())).isEqualTo(Use.STALE_IF_ERROR_ONLY);
        assertThat(entry.ageNanos(ticker.nanos())).isEqualTo(Duration.ofSeconds(11).toNanos());
    }

    @Test
    void sMaxAgeWinsOverMaxAgeForASharedCache() {
        store("max-age=0, s-maxage=60");
        ticker.advance(Duration.ofSeconds(30));
        assertThat(cache.lookup(get).use(ticker.nanos())).isEqualTo(Use.FRESH);
    }

    @Test
    void refusesWhatMustNotBeShared() {
        for (String cc : List.of("no-store", "private", "no-cache", "must-revalidate", "proxy-revalidate")) {
            assertThat(cache.storable(get, ResponseHeaders.of(HttpStatus.OK, "cache-control", cc), "a")).as(cc)
                    .isNull();
        }
        assertThat(cache.storable(get, ResponseHeaders.of(HttpStatus.OK, "set-cookie", "s=1"), "a")).isNull();
        assertThat(cache.storable(get, ResponseHeaders.of(HttpStatus.OK, "vary", "Cookie"), "a")).isNull();
        assertThat(cache.storable(get, ResponseHeaders.of(HttpStatus.OK, "vary", "*"), "a")).isNull();
        assertThat(cache.storable(get, ResponseHeaders.of(HttpStatus.NOT_FOUND), "a")).isNull();
        assertThat(cache.eligible(RequestHeaders.of(HttpMethod.GET, "/p", "authorization", "Bearer x"))).isFalse();
        assertThat(cache.eligible(RequestHeaders.of(HttpMethod.POST, "/p"))).isFalse();
        assertThat(cache.storable(get, ResponseHeaders.of(HttpStatus.OK), "a")).isNotNull();
    }
}
