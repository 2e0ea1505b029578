package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.StreamWriter;
import com.linecorp.armeria.server.Server;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestSite;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * 100 MiB pass through the proxy in each direction, generated on the fly and counted on arrival.
 * Half-way the receiver stops reading; once the sender has stalled, the bytes sent but not
 * received (everything buffered anywhere between the two: proxy, sockets) must be a few MiB (about
 * 10 MiB measured, 32 allowed), and the heap after a full GC must not have grown by anything near
 * the 50 MiB already passed (24 allowed; measured: it shrank). A proxy that aggregated bodies
 * would hold 50 MiB at that point (or never start delivering).
 */
@BothPaths
class SiteStreamingTest {

    @Parameter
    private ServerPath path;

    private static final long TOTAL = 100L * 1024 * 1024;
    private static final long PAUSE_AT = 50L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    /** Generous: loopback socket buffers on both hops plus Armeria's per-connection watermarks. */
    private static final long MAX_IN_FLIGHT = 32L * 1024 * 1024;
    private static final long MAX_HEAP_GROWTH = 24L * 1024 * 1024;

    private final byte[] chunk = pattern();
    private final AtomicLong originWritten = new AtomicLong();
    private final PausingCounter originRead = new PausingCounter(PAUSE_AT);
    private final Server origin = Server.builder()
            .http(0)
            .requestTimeout(Duration.ZERO)
            .maxRequestLength(0)
            .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
            .service("/health", (ctx, req) -> HttpResponse.of(HttpStatus.OK))
            .service("/download", (ctx, req) -> {
                HttpResponseWriter res = HttpResponse.streaming();
                res.write(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.OCTET_STREAM)
                        .contentLength(TOTAL).build());
                writeChunks(res, originWritten);
                return res;
            })
            .service("/upload", (ctx, req) -> {
                req.subscribe(originRead, ctx.eventLoop());
                return HttpResponse.of(originRead.done.thenApply(n ->
                        HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, Long.toString(n))));
            })
            .build();
    private TestSite site;

    @AfterEach
    void close() {
        if (site != null) {
            site.close();
        }
        origin.stop();
    }

    private void start() {
        origin.start().join();
        site = TestSite.start(path, Map.of("only", java.net.URI.create("http://127.0.0.1:" + origin.activeLocalPort())));
    }

    @Test
    void a100MiBResponseStreamsThroughWithFlatMemory() {
        start();
        long baseline = usedHeapAfterGc();
        PausingCounter client = new PausingCounter(PAUSE_AT);
        site.client().execute(RequestHeaders.builder(HttpMethod.GET, "/download").authority(TestSite.HOST).build())
            .subscribe(client);

        await().atMost(Duration.ofSeconds(60)).until(client::paused);
        awaitStable(originWritten);
        long inFlight = originWritten.get() - client.count();
        long growth = usedHeapAfterGc() - baseline;
        System.out.printf("download: paused at %d MiB, in flight %d KiB, heap growth %d KiB%n",
                client.count() >> 20, inFlight >> 10, growth >> 10);
        assertThat(inFlight).isLessThan(MAX_IN_FLIGHT);
        assertThat(growth).isLessThan(MAX_HEAP_GROWTH);

        client.resume();
        assertThat(client.done.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(TOTAL);
        assertThat(client.patternIntact()).isTrue();
    }

    @Test
    void a100MiBUploadStreamsThroughWithFlatMemory() {
        start();
        long baseline = usedHeapAfterGc();
        HttpRequestWriter upload = HttpRequest.streaming(RequestHeaders.builder(HttpMethod.POST, "/upload")
                .authority(TestSite.HOST).contentType(MediaType.OCTET_STREAM).build());
        AtomicLong sent = new AtomicLong();
        CompletableFuture<AggregatedHttpResponse> response = site.client().execute(upload).aggregate();
        writeChunks(upload, sent);

        await().atMost(Duration.ofSeconds(60)).until(originRead::paused);
        awaitStable(sent);
        long inFlight = sent.get() - originRead.count();
        long growth = usedHeapAfterGc() - baseline;
        System.out.printf("upload: paused at %d MiB, in flight %d KiB, heap growth %d KiB%n",
                originRead.count() >> 20, inFlight >> 10, growth >> 10);
        assertThat(inFlight).isLessThan(MAX_IN_FLIGHT);
        assertThat(growth).isLessThan(MAX_HEAP_GROWTH);

        originRead.resume();
        AggregatedHttpResponse done = response.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(done.status().code()).isEqualTo(200);
        assertThat(done.contentUtf8()).isEqualTo(Long.toString(TOTAL));
        assertThat(originRead.patternIntact()).isTrue();
    }

    /** Writes {@link #TOTAL} bytes as fast as the reader takes them, counting in {@code written}. */
    private void writeChunks(StreamWriter<HttpObject> out, AtomicLong written) {
        long sent = written.get();
        if (sent >= TOTAL) {
            out.close();
            return;
        }
        int n = (int) Math.min(CHUNK, TOTAL - sent);
        if (!out.tryWrite(HttpData.wrap(chunk, 0, n))) {
            return;
        }
        written.addAndGet(n);
        out.whenConsumed().thenRun(() -> writeChunks(out, written));
    }

    /** Waits until {@code counter} has not moved for a while: the sender is held back by the paused reader. */
    private static void awaitStable(AtomicLong counter) {
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(500))
               .until(() -> {
                   long now = counter.get();
                   boolean stable = now == last[0];
                   last[0] = now;
                   return stable;
               });
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Byte {@code i} of every chunk is {@code i mod 251}, so a reader can check what it got. */
    private static byte[] pattern() {
        byte[] bytes = new byte[CHUNK];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    /** Counts the bytes of a body, checks their pattern, and stops reading at a mark until resumed. */
    private static final class PausingCounter implements Subscriber<HttpObject> {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final long pauseAt;
        private final AtomicLong count = new AtomicLong();
        private volatile Subscription subscription;
        private volatile boolean paused;
        private volatile boolean intact = true;

        PausingCounter(long pauseAt) {
            this.pauseAt = pauseAt;
        }

        long count() {
            return count.get();
        }

        boolean paused() {
            return paused;
        }

        boolean patternIntact() {
            return intact;
        }

        void resume() {
            paused = false;
            subscription.request(1);
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(HttpObject object) {
            if (object instanceof HttpData data) {
                long before = count.getAndAdd(data.length());
                byte[] bytes = data.array();
                int offset = (int) (before % CHUNK);
                for (int i = 0; i < bytes.length; i += 997) {
                    if (bytes[i] != (byte) (((offset + i) % CHUNK) % 251)) {
                        intact = false;
                    }
                }
                if (before < pauseAt && count.get() >= pauseAt) {
                    paused = true;
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(count.get());
        }
    }
}
