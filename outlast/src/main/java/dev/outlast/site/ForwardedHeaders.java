package dev.outlast.site;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-connection", "proxy-authenticate", "proxy-authorization");

    private ForwardedHeaders() {
    }

    /**
     * The request to send to an origin.
     *
     * @param path      the origin's path prefix joined with the client's path and query
     * @param authority the origin's {@code host[:port]}
     * @param client    the client's address
     * @param tls       whether the client connected over TLS
     */
    static RequestHeaders toOrigin(RequestHeaders in, String path, String authority, InetSocketAddress client,
                                   boolean tls) {
        RequestHeadersBuilder out = RequestHeaders.builder(in.method(), path);
        copyEndToEnd(in, out, Set.of("host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"));
        out.authority(authority);
        String clientIp = client == null ? "unknown" : ip(client);
        List<String> prior = in.getAll("x-forwarded-for");
        out.set("x-forwarded-for", prior.isEmpty() ? clientIp : String.join(", ", prior) + ", " + clientIp);
        out.set("x-forwarded-proto", tls ? "https" : "http");
        String host = in.authority();
        if (host != null && !host.isEmpty()) {
            out.set("x-forwarded-host", host);
        }
        return out.build();
    }

    /** The origin's response headers without hop-by-hop headers, plus {@code extra} name/value pairs. */
    static ResponseHeaders toClient(ResponseHeaders in, String... extra) {
        ResponseHeadersBuilder out = ResponseHeaders.builder(in.status());
        copyEndToEnd(in, out, Set.of());
        for (int i = 0; i + 1 < extra.length; i += 2) {
            out.set(extra[i], extra[i + 1]);
        }
        return out.build();
    }

    /** Trailers without hop-by-hop fields. */
    static HttpHeaders trailers(HttpHeaders in) {
        HttpHeadersBuilder out = HttpHeaders.builder();
        copyEndToEnd(in, out, Set.of());
        return out.build();
    }

    private static void copyEndToEnd(HttpHeaders in, HttpHeadersBuilder out, Set<String> alsoSkip) {
        Set<String> named = new HashSet<>();
        for (String value : in.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        in.forEach((AsciiString name, String value) -> {
            String n = name.toString();
            if (n.startsWith(":") || HOP_BY_HOP.contains(n) || n.startsWith("proxy-") || named.contains(n)
                || alsoSkip.contains(n)) {
                return;
            }
            out.add(name, value);
        });
    }

    private static String ip(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (a == null) {
            return address.getHostString();
        }
        return a.getHostAddress();
    }
}
