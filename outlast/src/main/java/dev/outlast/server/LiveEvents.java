package dev.outlast.server;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code GET /status/events}: a server-sent event stream of the status page's live parts. A new
 * subscriber gets the current payload at once; {@link #push} sends a payload to everyone when it
 * differs from the last one sent; {@link #heartbeat} keeps idle connections open through proxies.
 *
 * <p>Thread-safe.
 */
final class LiveEvents implements AutoCloseable {

    private final Supplier<String> payload;
    private final Set<HttpResponseWriter> writers = ConcurrentHashMap.newKeySet();
    private volatile String last = "";
    private volatile boolean closed;

    LiveEvents(Supplier<String> payload) {
        this.payload = payload;
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
    void push() {
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

    void heartbeat() {
        send(": keepalive\n\n");
    }

    private void send(String text) {
        for (HttpResponseWriter w : writers) {
            if (!w.tryWrite(HttpData.ofUtf8(text))) {
                writers.remove(w);
            }
        }
    }

    int subscribers() {
        return writers.size();
    }

    @Override
    public void close() {
        closed = true;
        writers.forEach(HttpResponseWriter::close);
        writers.clear();
    }
}
