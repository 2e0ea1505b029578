package dev.outlast.transport.fastpath;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.site.SiteErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a site's response to the client as it comes, one object at a time, encoded by
 * {@link ResponseHeads}.
 *
 * <h2>Implementation note</h2>
 * The next object is asked for while less than {@link #MAX_UNWRITTEN} bytes of body wait to reach
 * the socket, so a slow client slows the reading from the origin instead of filling memory (Armeria
 * turns Netty's write watermarks off, so this counts itself, as Armeria's own response writer does).
 * What was written while objects came at once is flushed together. A response declaring at most
 * {@link #MAX_UNWRITTEN} bytes is held back with its body and leaves as one message, one write (most
 * answers). Later headers and 1xx answers are skipped; trailers end a chunked body. If the response
 * fails before anything of it was written, the client gets the site's {@code response_failed} answer
 * ({@link SiteErrors#responseFailed}) instead, through this same writer; once something was written, a
 * failure can only cut the body short, so the connection is closed.
 *
 * <p>Not thread-safe: confined to the connection's event loop.
 */
final class SiteResponseWriter implements Subscriber<HttpObject> {

    private static final Logger log = LoggerFactory.getLogger(SiteResponseWriter.class);
    /** How much of a site's response body may wait to be written to a client's socket. */
    static final int MAX_UNWRITTEN = 64 * 1024;

    private final ClientConnection connection;
    private final ChannelHandlerContext ctx;
    private final String site;
    private final boolean head;
    private final boolean close;
    private Subscription subscription;
    /** The response's headers came (later ones, and 1xx, are skipped). */
    private boolean headersSeen;
    /** Something of the response was written to the connection. */
    private boolean headersSent;
    /** The response failed before anything was written: what is written now is the error answer. */
    private boolean failedOver;
    /** The head of a response declaring a small length, held back with its body ({@link #heldBody}). */
    private HttpResponse held;
    private long heldLength;
    private HttpData heldBody;
    private boolean chunked;
    private com.linecorp.armeria.common.HttpHeaders trailers;
    private boolean ended;
    private int pulling;
    private boolean unflushed;
    /** Body bytes written but not yet handed to the socket. */
    private long unwritten;
    private boolean waitingWritten;

    /**
     * @param site  the site's id, for its error answer
     * @param head  whether the answer is to a {@code HEAD}
     * @param close whether the connection closes after this answer
     */
    SiteResponseWriter(ClientConnection connection, ChannelHandlerContext ctx, String site, boolean head,
                       boolean close) {
        this.connection = connection;
        this.ctx = ctx;
        this.site = site;
        this.head = head;
        this.close = close;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        if (ended) {
            s.cancel();
        } else {
            pull();
        }
    }

    /** Asks for the next object; what was written meanwhile is flushed unless more came at once. */
    private void pull() {
        pulling++;
        subscription.request(1);
        pulling--;
        if (pulling == 0 && !ended && unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    @Override
    public void onNext(HttpObject obj) {
        if (ended) {
            return;
        }
        if (obj instanceof ResponseHeaders h) {
            if (headersSeen || h.status().isInformational()) {
                pull();
                return;
            }
            headersSeen = true;
            HttpResponse start = ResponseHeads.site(h, head, close);
            chunked = ResponseHeads.chunked(start);
            long length = h.contentLength();
            if (!chunked && !head && length >= 0 && length <= MAX_UNWRITTEN) {
                held = start;
                heldLength = length;
            } else {
                headersSent = true;
                ctx.write(start);
            }
        } else if (obj instanceof HttpData data) {
            if (!data.isEmpty() && headersSeen && !head) {
                if (held != null && heldBody == null && data.length() == heldLength) {
                    heldBody = data;
                    pull();
                    return;
                }
                writeHeld();
                int n = data.length();
                unwritten += n;
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(data.array()))).addListener(f -> {
                    unwritten -= n;
                    if (waitingWritten && unwritten < MAX_UNWRITTEN && !ended) {
                        waitingWritten = false;
                        pull();
                    }
                });
            }
        } else if (obj instanceof com.linecorp.armeria.common.HttpHeaders t) {
            trailers = t;
        }
        unflushed = true;
        if (unwritten < MAX_UNWRITTEN) {
            pull();
        } else {
            waitingWritten = true;
            unflushed = false;
            ctx.flush();
        }
    }

    @Override
    public void onComplete() {
        if (ended) {
            return;
        }
        if (!headersSeen) {
            onError(new IllegalStateException("the response ended before its headers"));
            return;
        }
        if (held != null && (heldBody != null || heldLength == 0)) {
            ByteBuf body = heldBody == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(heldBody.array());
            DefaultFullHttpResponse whole = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, held.status(),
                    body, held.headers(), EmptyHttpHeaders.INSTANCE);
            held = null;
            heldBody = null;
            headersSent = true;
            finish(whole);
            return;
        }
        writeHeld();
        LastHttpContent last = LastHttpContent.EMPTY_LAST_CONTENT;
        if (chunked && trailers != null && !trailers.isEmpty()) {
            last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, ResponseHeads.trailers(trailers));
        }
        finish(last);
    }

    @Override
    public void onError(Throwable cause) {
        if (ended) {
            return;
        }
        if (headersSent || failedOver) {
            // the body broke off: the client must see it end short, so the connection goes
            ended = true;
            connection.siteBroken(ctx);
            return;
        }
        log.debug("site {}: the response failed before any of it was written", site, cause);
        failedOver = true;
        held = null;
        heldBody = null;
        headersSeen = false;
        chunked = false;
        trailers = null;
        SiteErrors.responseFailed(site).subscribe(this, ctx.executor());
    }

    /** Writes the held head (and body) as separate messages: the answer is not the small whole one it declared. */
    private void writeHeld() {
        if (held == null) {
            return;
        }
        headersSent = true;
        ctx.write(held);
        held = null;
        if (heldBody != null) {
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(heldBody.array())));
            heldBody = null;
        }
    }

    /** The client went away: the response is not wanted any more. */
    void cancel() {
        ended = true;
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** Ends the answer with {@code last}: its last content, or the whole response in one message. */
    private void finish(Object last) {
        ended = true;
        connection.siteAnswered(ctx, last, close);
    }
}
