package dev.outlast.site;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers a reverse proxy rewrites: hop-by-hop headers are dropped both ways (RFC 9110 §7.6.1:
 * {@code Connection}, {@code Keep-Alive}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding},
 * {@code Upgrade}, {@code Proxy-*}, and every header the {@code Connection} header names), and
 * {@code X-Forwarded-For} (appended), {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are set
 * on the way to the origin. The origin sees its own host as {@code Host}.
 *
 * <p>Thread-safe (stateless).
 */
final class ForwardedHeaders {

    private static final Set<AsciiString> HOP_BY_HOP = Set.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE);
    private static final AsciiString PROXY = AsciiString.cached("proxy-");
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
        Set<String> named = connectionNamed(in.getAll(HttpHeaderNames.CONNECTION));
        StringBuilder forwardedFor = null;
        for (Map.Entry<AsciiString, String> h : in) {
            AsciiString name = h.getKey();
            if (name.byteAt(0) == ':' || hopByHop(name, named) || HttpHeaderNames.HOST.equals(name)
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

    /** The origin's response headers without hop-by-hop headers, plus {@code extra} name/value pairs. */
    static ResponseHeaders toClient(ResponseHeaders in, String... extra) {
        ResponseHeadersBuilder out = in.toBuilder();
        removeHopByHop(in, out);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            out.set(extra[i], extra[i + 1]);
        }
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
        Set<String> named = connectionNamed(in.getAll(HttpHeaderNames.CONNECTION));
        for (String name : named) {
            out.remove(name);
        }
        in.forEach((AsciiString name, String value) -> {
            if (HOP_BY_HOP.contains(name) || name.startsWith(PROXY)) {
                out.remove(name);
            }
        });
    }

    /** The field names the {@code Connection} header values list, lower case (empty when none). */
    static Set<String> connectionNamed(List<String> connection) {
        if (connection.isEmpty()) {
            return Set.of();
        }
        Set<String> named = new java.util.HashSet<>();
        for (String value : connection) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && name.charAt(0) != ':') {
                    named.add(name);
                }
            }
        }
        return named;
    }

    /**
     * Whether {@code name} (lower case) is a hop-by-hop field: one of RFC 9110's, a {@code Proxy-*}
     * field, or one the {@code Connection} header lists ({@code named}, from {@link #connectionNamed}).
     */
    static boolean hopByHop(AsciiString name, Set<String> named) {
        return HOP_BY_HOP.contains(name) || name.startsWith(PROXY) || !named.isEmpty() && named.contains(name.toString());
    }
}
