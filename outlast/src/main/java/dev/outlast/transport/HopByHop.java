package dev.outlast.transport;

import com.linecorp.armeria.common.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header fields that concern one connection and never pass through a proxy (RFC 9110
 * §7.6.1): {@code Connection}, {@code Keep-Alive}, {@code TE}, {@code Trailer},
 * {@code Transfer-Encoding}, {@code Upgrade}, every {@code Proxy-*} field, and every field the
 * {@code Connection} header names.
 *
 * <p>Thread-safe (stateless).
 */
public final class HopByHop {

    private static final Set<AsciiString> FIXED = Set.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE);
    private static final AsciiString PROXY = AsciiString.cached("proxy-");

    private HopByHop() {
    }

    /** The field names the {@code Connection} header values list, lower case (empty when none). */
    public static Set<String> connectionNamed(List<String> connection) {
        if (connection.isEmpty()) {
            return Set.of();
        }
        Set<String> named = new HashSet<>();
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

    /** Whether {@code name} (lower case) is hop-by-hop whatever the {@code Connection} header says. */
    public static boolean always(AsciiString name) {
        return FIXED.contains(name) || name.startsWith(PROXY);
    }

    /**
     * Whether {@code name} (lower case) is a hop-by-hop field: one of {@link #always}, or one the
     * {@code Connection} header lists ({@code named}, from {@link #connectionNamed}).
     */
    public static boolean is(AsciiString name, Set<String> named) {
        return always(name) || !named.isEmpty() && named.contains(name.toString());
    }
}
