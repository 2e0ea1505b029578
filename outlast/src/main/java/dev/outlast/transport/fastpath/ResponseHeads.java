package dev.outlast.transport.fastpath;

import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.transport.RpcReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.Date;

/**
 * How the fast path encodes every answer's head, the one place it is done: the status line, the
 * header fields in the order Armeria's server writes them for the same answer, how the body is
 * framed, {@code Date}, and {@code Connection: close}.
 *
 * <ul>
 *   <li>A JSON-RPC answer ({@link RpcReply}): {@code Content-Type}, the {@code X-Outlast-*} fields,
 *       {@code Content-Length}; a 204 carries none of them.</li>
 *   <li>A site's answer: its fields as the site gives them (pseudo-headers aside).</li>
 *   <li>Then {@code Date} unless the answer has one, and {@code Connection: close} when the
 *       connection closes after it.</li>
 *   <li>Last, for a site's answer whose body may follow without a {@code Content-Length}:
 *       {@code Transfer-Encoding: chunked} (a {@code HEAD}, 204 or 304 answer has no body to
 *       frame).</li>
 * </ul>
 *
 * <p>Thread-safe (stateless).
 */
final class ResponseHeads {

    private static final AsciiString JSON = AsciiString.cached("application/json; charset=utf-8");
    /** Names and values come from Armeria's headers or from constants, all validated already. */
    private static final DefaultHttpHeadersFactory TRUSTED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private ResponseHeads() {
    }

    /** A JSON-RPC answer, whole. */
    static FullHttpResponse rpc(RpcReply reply, boolean close) {
        HttpHeaders headers = TRUSTED_HEADERS.newHeaders();
        ByteBuf body = Unpooled.EMPTY_BUFFER;
        if (reply.body() != null) {
            body = Unpooled.wrappedBuffer(reply.body());
            headers.add(HttpHeaderNames.CONTENT_TYPE, JSON);
            reply.outlastHeaders(headers::add);
            headers.add(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        }
        end(headers, close);
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status().code()),
                body, headers, EmptyHttpHeaders.INSTANCE);
    }

    /**
     * A site's answer's head.
     *
     * @param head whether it answers a {@code HEAD}
     */
    static HttpResponse site(ResponseHeaders h, boolean head, boolean close) {
        int code = h.status().code();
        HttpResponseStatus status = HttpResponseStatus.valueOf(code);
        if (!status.reasonPhrase().equals(h.status().reasonPhrase())) {
            status = new HttpResponseStatus(code, h.status().reasonPhrase());
        }
        HttpHeaders out = TRUSTED_HEADERS.newHeaders();
        h.forEach((name, value) -> {
            if (name.byteAt(0) != ':') {
                out.add(name, value);
            }
        });
        end(out, close);
        boolean bodyless = head || code == 204 || code == 304;
        if (!bodyless && !out.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, out);
    }

    /** Whether {@code head}, made by {@link #site}, frames its body in chunks. */
    static boolean chunked(HttpResponse head) {
        return head.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
    }

    /** Trailers to end a chunked body with, for {@link io.netty.handler.codec.http.DefaultLastHttpContent}. */
    static HttpHeaders trailers(com.linecorp.armeria.common.HttpHeaders in) {
        HttpHeaders out = TRUSTED_HEADERS.newHeaders();
        in.forEach((name, value) -> out.add(name, value));
        return out;
    }

    private static void end(HttpHeaders out, boolean close) {
        if (!out.contains(HttpHeaderNames.DATE)) {
            out.add(HttpHeaderNames.DATE, HttpDate.now());
        }
        if (close) {
            out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /** The {@code Date} header value, made once per second. */
    private static final class HttpDate {

        private static volatile Stamp stamp = new Stamp(-1, "");

        private record Stamp(long second, String text) {
        }

        static String now() {
            long second = System.currentTimeMillis() / 1000;
            Stamp s = stamp;
            if (s.second != second) {
                s = new Stamp(second, DateFormatter.format(new Date(second * 1000)));
                stamp = s;
            }
            return s.text;
        }
    }
}
