package dev.outlast.transport;

import com.linecorp.armeria.common.HttpStatus;
import io.netty.util.AsciiString;
import java.util.function.BiConsumer;

/**
 * The answer to one {@code POST /rpc/{chain}}, ready to be written by either server: Armeria's
 * ({@code server.RpcService}) or the fast path. Both write its headers in the same order:
 * {@code Content-Type}, then {@link #outlastHeaders}, then {@code Content-Length}.
 *
 * <p>Immutable (the body array is never written after it is made).
 *
 * @param status    the HTTP status
 * @param body      the JSON body, or null for 204 No Content (a body of notifications only)
 * @param upstream  the {@code X-Outlast-Upstream} value
 * @param consensus the {@code X-Outlast-Consensus} value, or null
 * @param verified  the {@code X-Outlast-Verified} value, or null
 * @param cache     the {@code X-Outlast-Cache} value, or null
 */
public record RpcReply(HttpStatus status, byte[] body, String upstream, String consensus, String verified,
                       String cache) {

    /** The answer to a body of notifications only. */
    public static final RpcReply NO_CONTENT = new RpcReply(HttpStatus.NO_CONTENT, null, OutlastHeaders.OUTLAST,
            null, null, null);

    /** Hands each {@code X-Outlast-*} header this reply has to {@code add}, name first. */
    public void outlastHeaders(BiConsumer<AsciiString, String> add) {
        add.accept(OutlastHeaders.UPSTREAM, upstream);
        if (consensus != null) {
            add.accept(OutlastHeaders.CONSENSUS, consensus);
        }
        if (verified != null) {
            add.accept(OutlastHeaders.VERIFIED, verified);
        }
        if (cache != null) {
            add.accept(OutlastHeaders.CACHE, cache);
        }
    }
}
