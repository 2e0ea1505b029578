package dev.outlast.site;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import com.linecorp.armeria.common.stream.StreamMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a response an origin answered below 500 reaches the client of a {@link ProxyCall}: whole, or
 * streamed as it comes (body and trailers, hop-by-hop headers removed), teed into the cache when it
 * may be stored.
 *
 * <h2>Implementation note</h2>
 * A response declaring at most {@link #SMALL_BODY_BYTES}, or whose body had all arrived with its
 * headers, is sent in one piece: far cheaper for small answers, and bounded. Everything else
 * streams, read only as fast as the client takes it. Once the headers are in, the body has no
 * deadline.
 *
 * <p>Stateless; each method runs on the request's event loop.
 */
final class Relay {

    /** Responses declaring at most this many bytes are read whole and sent in one piece. */
    static final long SMALL_BODY_BYTES = 64 * 1024;

    private Relay() {
    }

    /**
     * Sends {@code split}, the accepted response of {@code origin}, to the client of {@code call}.
     *
     * @param h   the origin's response headers
     * @param out the headers as the client gets them
     */
    static void accept(ProxyCall call, Origin origin, ResponseHeaders h, ResponseHeaders out, SplitHttpResponse split) {
        Site site = call.site();
        RequestHeaders headers = call.headers();
        StaleCache.Pending pending = headers.method() == HttpMethod.GET ? site.cache().storable(headers, out,
                                                                                                 origin.name())
                                                                       : null;
        long declared = h.contentLength();
        if (headers.method() == HttpMethod.HEAD) {
            relay(call, out, split, pending, declared);
        } else if (declared >= 0 && declared <= SMALL_BODY_BYTES) {
            readWhole(call, origin, out, split, tee(site, pending, declared));
        } else {
            // A body without a small declared length may have come whole with its headers, which
            // are handled as soon as they are read: known once the read that brought them is done.
            call.loop().execute(() -> {
                if (split.body().isOpen()) {
                    relay(call, out, split, pending, declared);
                } else {
                    readWhole(call, origin, out, split, tee(site, pending, declared));
                }
            });
        }
    }

    /** What copies the body into the cache, or null when it is not stored. */
    private static CacheTee tee(Site site, StaleCache.Pending pending, long declared) {
        return pending == null ? null : new CacheTee(pending, site.cache().maxEntryBytes(), declared);
    }

    /** Streams the response to the client as it comes, teed into the cache when {@code pending}. */
    private static void relay(ProxyCall call, ResponseHeaders out, SplitHttpResponse split,
                              StaleCache.Pending pending, long declared) {
        StreamMessage<HttpData> stream = split.body();
        CacheTee capture = tee(call.site(), pending, declared);
        if (capture != null) {
            stream = stream.peek(capture::add).endWith(cause -> {
                if (cause == null) {
                    capture.complete();
                }
                return null;
            });
        }
        CompletableFuture<HttpHeaders> trailers = split.trailers().thenApply(ForwardedHeaders::trailers);
        HttpResponse response = HttpResponse.of(out, stream, trailers);
        call.complete("ok", response);
    }

    /**
     * A response whose declared length is small is read whole and sent as one piece: for the small
     * pages and API answers that make up most of a site's traffic this costs far less than relaying
     * a stream (headers and body go out together, with a length instead of chunks), and a few KiB
     * held for a moment bound nothing. So is a response of any declared length whose body had
     * already arrived in full when its headers were handled: it is in memory either way. Anything
     * else streams. A body that breaks off before its end is answered 502 ({@code response_failed}):
     * nothing was sent yet, so the client gets an error it can read instead of a cut connection.
     */
    private static void readWhole(ProxyCall call, Origin origin, ResponseHeaders out, SplitHttpResponse split,
                                  CacheTee capture) {
        split.body().collect(call.loop()).handle((chunks, e) -> {
            call.onLoop(() -> {
                if (e != null) {
                    call.brokeOff(origin, e);
                    return;
                }
                if (capture != null) {
                    chunks.forEach(capture::add);
                    capture.complete();
                }
                split.trailers().handle((t, te) -> {
                    call.onLoop(() -> call.complete("ok", whole(out, chunks, t == null || t.isEmpty() ? null
                                                                                     : ForwardedHeaders.trailers(t))));
                    return null;
                });
            });
            return null;
        });
    }

    /**
     * A body read whole: up to {@link #SMALL_BODY_BYTES} joined into one piece (sent with its length),
     * a longer one (already in memory, since it had all arrived) passed on as its pieces, not copied.
     */
    private static HttpResponse whole(ResponseHeaders out, List<HttpData> chunks, HttpHeaders trailers) {
        long length = 0;
        for (HttpData d : chunks) {
            length += d.length();
        }
        if (length > SMALL_BODY_BYTES) {
            StreamMessage<HttpData> body = StreamMessage.of(chunks.toArray(HttpData[]::new));
            return trailers == null ? HttpResponse.of(out, body) : HttpResponse.of(out, body, trailers);
        }
        HttpData data = join(chunks);
        if (trailers == null && out.contentLength() == data.length() && !out.status().isContentAlwaysEmpty()) {
            // the length the origin declared: the headers are right as they are (HttpResponse.of(out,
            // data) would build them once more to set it)
            return HttpResponse.of(new HttpObject[] {out, data});
        }
        return trailers == null ? HttpResponse.of(out, data) : HttpResponse.of(out, data, trailers);
    }

    private static HttpData join(List<HttpData> chunks) {
        if (chunks.isEmpty()) {
            return HttpData.empty();
        }
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        int length = 0;
        for (HttpData d : chunks) {
            length += d.length();
        }
        byte[] bytes = new byte[length];
        int at = 0;
        for (HttpData d : chunks) {
            System.arraycopy(d.array(), 0, bytes, at, d.length());
            at += d.length();
        }
        return HttpData.wrap(bytes);
    }
}
