package dev.outlast.site;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.RequestHeaders;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A client's request body, streamed to the origin of the current attempt and kept (up to a limit)
 * so that another attempt can send it again.
 *
 * <h2>Implementation note</h2>
 * The client's body is read one chunk at a time, and the next chunk is requested only when the
 * current attempt's connection has consumed the previous one, so a slow origin slows the client
 * down instead of filling memory. While the bytes read so far fit in {@code limit}, every chunk is
 * also kept; a new attempt first receives the kept chunks, then the live ones. Once the body
 * outgrows the limit the kept chunks are dropped: the body keeps streaming to the current attempt,
 * but {@link #replayable()} turns false and the request cannot move to another origin. Once a
 * response is accepted ({@link #commit()}), nothing more is kept.
 *
 * <p>Not thread-safe: confined to the request's event loop (every callback runs there).
 */
final class ReplayableBody implements Subscriber<HttpObject> {

    private final HttpRequest source;
    private final EventExecutor loop;
    private final long limit;
    private final List<HttpData> kept = new ArrayList<>();
    private long keptBytes;
    private boolean replayable = true;
    private boolean empty;
    private boolean subscribed;
    private Subscription subscription;
    private boolean demand;
    private boolean complete;
    private Throwable failure;
    private HttpHeaders trailers;
    private HttpRequestWriter sink;
    private int generation;

    ReplayableBody(HttpRequest source, EventExecutor loop, long limit) {
        this.source = source;
        this.loop = loop;
        this.limit = limit;
        this.empty = source.isEmpty();
    }

    /** The request has no body at all (its headers ended the stream). */
    boolean empty() {
        return empty;
    }

    /** Every byte read so far is kept, so another attempt can send the same body. */
    boolean replayable() {
        return replayable;
    }

    /** The request for a new attempt: these headers, then the body from its first byte. */
    HttpRequest attempt(RequestHeaders headers) {
        if (empty) {
            return HttpRequest.of(headers);
        }
        if (sink != null) {
            sink.abort();
        }
        HttpRequestWriter writer = HttpRequest.streaming(headers);
        generation++;
        sink = writer;
        for (HttpData data : kept) {
            writer.tryWrite(data);
        }
        if (failure != null) {
            writer.abort(failure);
        } else if (complete) {
            finish(writer);
        } else if (!subscribed) {
            subscribed = true;
            source.subscribe(this, loop);
        } else {
            pull();
        }
        return writer;
    }

    /** The current attempt's response was accepted: stop keeping the body. */
    void commit() {
        replayable = false;
        kept.clear();
    }

    /** The request is over without an accepted attempt: stop reading the client's body. */
    void abandon() {
        commit();
        if (sink != null) {
            sink.abort();
            sink = null;
        }
        if (subscription != null && !complete && failure == null) {
            subscription.cancel();
        } else if (!subscribed && !empty) {
            source.abort();
        }
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        pull();
    }

    @Override
    public void onNext(HttpObject object) {
        demand = false;
        if (object instanceof HttpHeaders t) {
            trailers = t;
            pull();
            return;
        }
        HttpData data = (HttpData) object;
        if (replayable) {
            keptBytes += data.length();
            if (keptBytes > limit) {
                replayable = false;
                kept.clear();
            } else {
                kept.add(data);
            }
        }
        HttpRequestWriter writer = sink;
        if (writer == null || !writer.tryWrite(data)) {
            return;
        }
        int current = generation;
        writer.whenConsumed().thenRunAsync(() -> {
            if (current == generation) {
                pull();
            }
        }, loop);
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        if (sink != null) {
            sink.abort(t);
        }
    }

    @Override
    public void onComplete() {
        complete = true;
        if (sink != null) {
            finish(sink);
        }
    }

    private void finish(HttpRequestWriter writer) {
        if (trailers != null && !trailers.isEmpty()) {
            writer.tryWrite(ForwardedHeaders.trailers(trailers));
        }
        writer.close();
    }

    private void pull() {
        if (subscription != null && !demand && !complete && failure == null && sink != null) {
            demand = true;
            subscription.request(1);
        }
    }
}
