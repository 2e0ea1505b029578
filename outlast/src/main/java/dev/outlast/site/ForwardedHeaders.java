package dev.outlast.site;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.outlast.transport.HopByHop;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The headers a reverse proxy rewrites: hop-by-hop headers ({@link HopByHop}) are dropped both ways, and
 * {@code X-Forwarded-For} (appended), {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are set
 * on the way to the origin. The origin sees its own host as {@code Host}.
 *
 * <p>Thread-safe (stateless).
 */
final class ForwardedHeaders {

    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString HTTP = AsciiString.cached("http");

    private ForwardedHeaders() {
    }

    /**
     * The request to send to an origin.
     *
     * @param path      the origin's path prefix joined with the client's path and query
     * @param authority the origin's {@code host[:port]}
     * @param client    the client (its address and whether it came over TLS)
     */
    static RequestHeaders toOrigin(RequestHeaders in, String path, String authority, Client client) {
        RequestHeadersBuilder out = in.toBuilder().path(path);
        removeHopByHop(in, out);
        out.remove(HttpHeaderNames.SCHEME);
        out.remove(HttpHeaderNames.HOST);
        out.remove(X_FORWARDED_HOST);
        out.authority(authority);
        List<String> prior = in.getAll(X_FORWARDED_FOR);
        out.set(X_FORWARDED_FOR, prior.isEmpty() ? client.ip() : String.join(", ", prior) + ", " + client.ip());
        out.set(X_FORWARDED_PROTO, client.tls() ? "https" : "http");
        String host = in.authority();
        if (host != null && !host.isEmpty()) {
            out.set(X_FORWARDED_HOST, host);
        }
        return out.build();
    }

    /**
     * The header fields of {@link #toOrigin(RequestHeaders, String, String, Client)}'s request as
     * an HTTP/1.1 request carries them ({@code Host} first, no pseudo-headers), written into
     * {@code out} while {@code in} is read: the direct origin client's one copy of the headers
     * instead of a rewritten copy and then a second one.
     */
    static void toOrigin(RequestHeaders in, String authority, Client client, io.netty.handler.codec.http.HttpHeaders out) {
        out.add(io.netty.handler.codec.http.HttpHeaderNames.HOST, authority);
        Set<String> named = HopByHop.connectionNamed(in.getAll(HttpHeaderNames.CONNECTION));
        StringBuilder forwardedFor = null;
        for (Map.Entry<AsciiString, String> h : in) {
            AsciiString name = h.getKey();
            if (name.byteAt(0) == ':' || HopByHop.is(name, named) || HttpHeaderNames.HOST.equals(name)
                    || X_FORWARDED_HOST.equals(name) || X_FORWARDED_PROTO.equals(name)) {
                continue;
            }
            if (X_FORWARDED_FOR.equals(name)) {
                forwardedFor = (forwardedFor == null ? new StringBuilder() : forwardedFor.append(", ")).append(h.getValue());
                continue;
            }
            out.add(name, h.getValue());
        }
        out.add(X_FORWARDED_FOR, forwardedFor == null ? client.ip() : forwardedFor.append(", ").append(client.ip()));
        out.add(X_FORWARDED_PROTO, client.tls() ? HTTPS : HTTP);
        String host = in.authority();
        if (host != null && !host.isEmpty()) {
            out.add(X_FORWARDED_HOST, host);
        }
    }

    /** The origin's response headers without hop-by-hop headers, and with {@code name: value}. */
    static ResponseHeaders toClient(ResponseHeaders in, CharSequence name, String value) {
        ResponseHeadersBuilder out = in.toBuilder();
        removeHopByHop(in, out);
        out.set(name, value);
        return out.build();
    }

    /** Trailers without hop-by-hop fields. */
    static HttpHeaders trailers(HttpHeaders in) {
        HttpHeadersBuilder out = in.toBuilder();
        removeHopByHop(in, out);
        return out.build();
    }

    /**
     * Removes from {@code out}, a copy of {@code in}, the hop-by-hop fields of {@code in}: a copy
     * with a few names removed costs far less than building the headers again name by name.
     */
    private static void removeHopByHop(HttpHeaders in, HttpHeadersBuilder out) {
        Set<String> named = HopByHop.connectionNamed(in.getAll(HttpHeaderNames.CONNECTION));
        for (String name : named) {
            out.remove(name);
        }
        in.forEach((AsciiString name, String value) -> {
            if (HopByHop.always(name)) {
                out.remove(name);
            }
        });
    }
}
