package dev.outlast.admin;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /status/events}: a server-sent event stream of the status page's live parts. A new
 * subscriber gets the current payload at once; once {@link #start}ed, every second {@link #push}
 * sends the payload to everyone when it differs from the last one sent, and every 15 s
 * {@link #heartbeat} keeps idle connections open through proxies.
 *
 * <p>Thread-safe.
 */
final class LiveEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    private static final int HEARTBEAT_TICKS = 15;

    private final Supplier<String> payload;
    private final ScheduledExecutorService scheduler;
    private final Set<HttpResponseWriter> writers = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> task;
    private long ticks;
    private volatile String last = "";
    private volatile boolean closed;

    LiveEvents(Supplier<String> payload, ScheduledExecutorService scheduler) {
        this.payload = payload;
        this.scheduler = scheduler;
    }

    void routes(ServerBuilder sb) {
        sb.service("/status/events", (ctx, req) -> subscribe(ctx));
    }

    /** Pushes every second and sends a heartbeat every 15 s, from now until {@link #close}. */
    synchronized void start() {
        task = scheduler.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            push();
        } catch (RuntimeException e) {
            log.warn("status page: the live update failed", e);
        }
        if (ticks++ % HEARTBEAT_TICKS == 0) {
            heartbeat();
        }
    }

    HttpResponse subscribe(ServiceRequestContext ctx) {
        ctx.clearRequestTimeout();
        HttpResponseWriter writer = HttpResponse.streaming();
        writer.write(ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.EVENT_STREAM)
                .add("cache-control", "no-cache")
                .build());
        writer.write(HttpData.ofUtf8("retry: 2000\ndata: " + payload.get() + "\n\n"));
        if (closed) {
            writer.close();
            return writer;
        }
        writers.add(writer);
        writer.whenComplete().handle((x, e) -> writers.remove(writer));
        return writer;
    }

    /** Sends the current payload to every subscriber if it changed. */
    private void push() {
        if (writers.isEmpty()) {
            return;
        }
        String now = payload.get();
        if (now.equals(last)) {
            return;
        }
        last = now;
        send("data: " + now + "\n\n");
    }

    private void heartbeat() {
        send(": keepalive\n\n");
    }

    private void send(String text) {
        for (HttpResponseWriter w : writers) {
            if (!w.tryWrite(HttpData.ofUtf8(text))) {
                writers.remove(w);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
        closed = true;
        writers.forEach(HttpResponseWriter::close);
        writers.clear();
    }
}
