package dev.outlast.site;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.config.SiteConfig;
import dev.outlast.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A site's shared response cache: what it may store, and the last good copy of each URL for
 * freshness hits, stale-while-revalidate and stale-if-error (RFC 9111, RFC 5861).
 *
 * <h2>Implementation note</h2>
 * Only {@code GET} requests without {@code Authorization} or {@code Cookie} take part ({@code HEAD}
 * is answered from what a {@code GET} stored): a request
 * that carries credentials may get a per-user answer, which is never shared. A {@code 200}
 * response is stored unless it says {@code no-store}, {@code private}, {@code no-cache},
 * {@code must-revalidate}/{@code proxy-revalidate}, sets a cookie, varies on {@code *} or on
 * {@code Authorization}/{@code Cookie}, or is larger than {@link #maxEntryBytes()}. The freshness
 * lifetime is {@code s-maxage}, else {@code max-age}, else zero (every request then still goes to
 * an origin; the copy only covers outages). The stale windows are the response's own
 * {@code stale-if-error}/{@code stale-while-revalidate}, else the site's configured defaults.
 * {@code Vary} is honoured: the key holds the values of the named request headers, and the names
 * last seen for a URL are remembered in a small index. Memory is bounded by weight (body bytes plus
 * a little per header) with Caffeine's eviction; entries expire when no window is left.
 *
 * <p>Thread-safe (Caffeine).
 */
final class StaleCache {

    private static final long MAX_ENTRY_BYTES = 4L * 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;

    private final SiteConfig config;
    private final Ticker ticker;
    private final Cache<String, CachedResponse> entries;
    private final Cache<String, List<String>> varyIndex;

    StaleCache(SiteConfig config, Ticker ticker) {
        this.config = config;
        this.ticker = ticker;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(Math.max(1, config.cacheBytes()))
                .weigher((String k, CachedResponse v) -> v.weight())
                .expireAfter(Expiry.creating((String k, CachedResponse v) -> Duration.ofNanos(v.lifetimeNanos())))
                .ticker(ticker::nanos)
                .executor(Runnable::run)
                .build();
        this.varyIndex = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run).build();
    }

    boolean enabled() {
        return config.cacheBytes() > 0;
    }

    /** The largest body stored: a quarter of the site's cache, at most 4 MiB. */
    long maxEntryBytes() {
        return Math.min(MAX_ENTRY_BYTES, config.cacheBytes() / 4);
    }

    /**
     * Whether this request may be answered from the shared cache: a {@code GET}, or a {@code HEAD}
     * (answered with the stored {@code GET} response's headers, RFC 9110 §9.3.2), without
     * credentials or {@code no-store}. Only a {@code GET}'s answer is stored.
     */
    boolean eligible(RequestHeaders request) {
        HttpMethod method = request.method();
        return enabled() && (method == HttpMethod.GET || method == HttpMethod.HEAD)
               && !request.contains("authorization") && !request.contains("cookie")
               && !CacheControl.of(request).noStore();
    }

    /** The stored response for this request, whatever its age, or null. */
    CachedResponse lookup(RequestHeaders request) {
        String path = request.path();
        List<String> names = varyIndex.getIfPresent(path);
        return entries.getIfPresent(key(path, names == null ? List.of() : names, request));
    }

    /**
     * A response that may be stored for this request, prepared for storing once its body is read,
     * or null when it must not be stored.
     */
    Pending storable(RequestHeaders request, ResponseHeaders response, String origin) {
        if (request.method() != HttpMethod.GET || !eligible(request) || response.status().code() != 200
            || response.contains("set-cookie")) {
            return null;
        }
        CacheControl cc = CacheControl.of(response);
        if (cc.noStore() || cc.isPrivate() || cc.noCache() || cc.mustRevalidate()) {
            return null;
        }
        List<String> varyNames = new ArrayList<>();
        for (String value : response.getAll("vary")) {
            for (String name : value.split(",")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (n.equals("*") || n.equals("authorization") || n.equals("cookie")) {
                    return null;
                }
                if (!n.isEmpty()) {
                    varyNames.add(n);
                }
            }
        }
        long sie = cc.staleIfError() >= 0 ? cc.staleIfError() * SECOND : config.staleIfError().toNanos();
        long swr = cc.staleWhileRevalidate() >= 0 ? cc.staleWhileRevalidate() * SECOND
                                                  : config.staleWhileRevalidate().toNanos();
        long fresh = cc.freshSeconds() * SECOND;
        long initialAge = ageHeader(response);
        if (fresh + Math.max(sie, swr) <= initialAge * SECOND) {
            return null;
        }
        List<String> varyValues = new ArrayList<>(varyNames.size());
        for (String n : varyNames) {
            varyValues.add(String.join(", ", request.getAll(n)));
        }
        return new Pending(request.path(), response, origin, List.copyOf(varyNames), List.copyOf(varyValues),
                           initialAge, fresh, sie, swr);
    }

    /** A response on its way into the cache, waiting for its body. */
    final class Pending {
        private final String path;
        private final ResponseHeaders headers;
        private final String origin;
        private final List<String> varyNames;
        private final List<String> varyValues;
        private final long initialAge;
        private final long fresh;
        private final long sie;
        private final long swr;

        private Pending(String path, ResponseHeaders headers, String origin, List<String> varyNames,
                        List<String> varyValues, long initialAge, long fresh, long sie, long swr) {
            this.path = path;
            this.headers = headers;
            this.origin = origin;
            this.varyNames = varyNames;
            this.varyValues = varyValues;
            this.initialAge = initialAge;
            this.fresh = fresh;
            this.sie = sie;
            this.swr = swr;
        }

        /** Stores the response with its complete body. */
        void store(byte[] body) {
            CachedResponse entry = new CachedResponse(headers, body, origin, varyNames, varyValues, ticker.nanos(),
                                                      initialAge, fresh, sie, swr);
            varyIndex.put(path, varyNames);
            entries.put(path + '\u0000' + String.join("\u0000", varyValues), entry);
        }
    }

    /** Number of stored responses and their total weight in bytes, for the API. */
    long[] stats() {
        long bytes = 0;
        for (CachedResponse r : entries.asMap().values()) {
            bytes += r.weight();
        }
        return new long[] {entries.estimatedSize(), bytes};
    }

    private static String key(String path, List<String> names, RequestHeaders request) {
        StringBuilder key = new StringBuilder(path).append('\u0000');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                key.append('\u0000');
            }
            key.append(String.join(", ", request.getAll(names.get(i))));
        }
        return key.toString();
    }

    private static long ageHeader(ResponseHeaders response) {
        String age = response.get("age");
        if (age == null || age.isBlank() || age.length() > 10 || !age.trim().chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Long.parseLong(age.trim());
    }
}
