package dev.outlast.site;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.outlast.transport.OutlastHeaders;
import java.util.List;

/**
 * One stored response: headers (already without hop-by-hop fields), body, which origin produced it,
 * and its windows in nanoseconds of the site's ticker.
 *
 * @param varyNames  the request headers the response varies on (lower case)
 * @param varyValues the values those headers had in the request that produced it
 * @param storedAt   ticker nanos when it was stored
 * @param initialAge the {@code Age} it arrived with, in seconds
 * @param fresh      freshness lifetime in nanos (counted from the age it arrived with)
 * @param staleIfError         how long after freshness it may be served when every origin fails
 * @param staleWhileRevalidate how long after freshness it is served while being fetched again
 */
record CachedResponse(ResponseHeaders headers, byte[] body, String origin, List<String> varyNames,
                      List<String> varyValues, long storedAt, long initialAge, long fresh, long staleIfError,
                      long staleWhileRevalidate) {

    /** How the entry may be used at a given age. */
    enum Use { FRESH, STALE_WHILE_REVALIDATE, STALE_IF_ERROR_ONLY, EXPIRED }

    /** Age in nanos at {@code now}. */
    long ageNanos(long now) {
        return initialAge * 1_000_000_000L + Math.max(0, now - storedAt);
    }

    Use use(long now) {
        long age = ageNanos(now);
        if (age < fresh) {
            return Use.FRESH;
        } else if (age < fresh + staleWhileRevalidate) {
            return Use.STALE_WHILE_REVALIDATE;
        } else if (age < fresh + staleIfError) {
            return Use.STALE_IF_ERROR_ONLY;
        }
        return Use.EXPIRED;
    }

    /** Nanos from storing until the entry is of no use any more. */
    long lifetimeNanos() {
        return Math.max(0, fresh + Math.max(staleIfError, staleWhileRevalidate) - initialAge * 1_000_000_000L);
    }

    /** Memory weight in bytes, roughly. */
    int weight() {
        long w = body.length + 64L * headers.size() + 256;
        return (int) Math.min(Integer.MAX_VALUE, w);
    }

    /** The response to serve, with {@code Age} and {@code X-Outlast-Cache: how}. */
    HttpResponse serve(long now, String how, boolean head) {
        ResponseHeadersBuilder h = headers.toBuilder();
        h.set("age", Long.toString(ageNanos(now) / 1_000_000_000L));
        h.setLong("content-length", body.length);
        h.set(OutlastHeaders.CACHE, how);
        h.set(OutlastHeaders.UPSTREAM, origin);
        return head ? HttpResponse.of(h.build()) : HttpResponse.of(h.build(), HttpData.wrap(body));
    }
}
