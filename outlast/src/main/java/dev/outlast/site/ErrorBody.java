package dev.outlast.site;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Reads an error response's body (a vendor page is a few KiB) up to {@link #LIMIT} bytes, so it can
 * be attributed and, if it is the final answer, served. A longer body is cut: the result is then
 * {@code null} and the stream is cancelled.
 *
 * <p>Not thread-safe: one instance per body, driven by the stream's executor.
 */
final class ErrorBody implements Subscriber<HttpData> {

    static final int LIMIT = 256 * 1024;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Subscription subscription;

    private ErrorBody() {
    }

    /** The whole body, or {@code null} when it is longer than {@link #LIMIT} or fails midway. */
    static CompletableFuture<byte[]> read(StreamMessage<HttpData> body, EventExecutor loop) {
        ErrorBody reader = new ErrorBody();
        body.subscribe(reader, loop);
        return reader.result;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(HttpData data) {
        if (result.isDone()) {
            return;
        }
        if (bytes.size() + data.length() > LIMIT) {
            subscription.cancel();
            result.complete(null);
            return;
        }
        bytes.writeBytes(data.array());
    }

    @Override
    public void onError(Throwable t) {
        result.complete(null);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }
}
