package dev.outlast.site;

import com.linecorp.armeria.common.HttpHeaders;
import java.util.Locale;

/**
 * The {@code Cache-Control} directives a shared cache acts on (RFC 9111 §5.2, RFC 5861). Absent
 * numeric directives are {@code -1}; a malformed value counts as absent.
 *
 * <p>Immutable.
 */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean mustRevalidate, long maxAge,
                    long sMaxAge, long staleIfError, long staleWhileRevalidate) {

    static CacheControl of(HttpHeaders headers) {
        boolean noStore = false;
        boolean noCache = false;
        boolean isPrivate = false;
        boolean mustRevalidate = false;
        long maxAge = -1;
        long sMaxAge = -1;
        long staleIfError = -1;
        long staleWhileRevalidate = -1;
        for (String value : headers.getAll("cache-control")) {
            for (String part : value.split(",")) {
                String d = part.trim().toLowerCase(Locale.ROOT);
                int eq = d.indexOf('=');
                String name = eq < 0 ? d : d.substring(0, eq).trim();
                String arg = eq < 0 ? "" : d.substring(eq + 1).trim();
                switch (name) {
                    case "no-store" -> noStore = true;
                    case "no-cache" -> noCache = true;
                    case "private" -> isPrivate = true;
                    case "must-revalidate", "proxy-revalidate" -> mustRevalidate = true;
                    case "max-age" -> maxAge = seconds(arg);
                    case "s-maxage" -> sMaxAge = seconds(arg);
                    case "stale-if-error" -> staleIfError = seconds(arg);
                    case "stale-while-revalidate" -> staleWhileRevalidate = seconds(arg);
                    default -> { }
                }
            }
        }
        return new CacheControl(noStore, noCache, isPrivate, mustRevalidate, maxAge, sMaxAge, staleIfError,
                                staleWhileRevalidate);
    }

    /** Freshness lifetime in seconds for a shared cache: {@code s-maxage}, else {@code max-age}, else 0. */
    long freshSeconds() {
        return sMaxAge >= 0 ? sMaxAge : Math.max(maxAge, 0);
    }

    private static long seconds(String arg) {
        String a = arg.startsWith("\"") && arg.endsWith("\"") && arg.length() >= 2
                   ? arg.substring(1, arg.length() - 1) : arg;
        if (a.isEmpty() || a.length() > 10 || !a.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(a);
    }
}
