package dev.outlast.config.internal;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the textual forms of config values; each throws {@link BadValue} saying what it expected. */
final class Values {

    static final String DURATION = "a duration such as 500ms or 10s";
    static final String LISTEN = "host:port";
    static final String URL = "http or https URL";
    static final String WS_URL = "ws or wss URL";

    private static final Pattern DURATION_FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h)");
    private static final Pattern INTEGER_FORM = Pattern.compile("[+-]?\\d+");
    private static final Pattern HEX_FORM = Pattern.compile("0[xX]([0-9a-fA-F]+)");
    private static final Pattern BRACKETED_HOST_PORT = Pattern.compile("\\[([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)]:(\\d+)");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+):(\\d+)");

    private Values() {
    }

    /** A bind address: the host without brackets (an IPv6 literal is written {@code [::1]:8080}). */
    record HostPort(String host, int port) {
    }

    static HostPort hostPort(String text) {
        Matcher m = BRACKETED_HOST_PORT.matcher(text);
        if (!m.matches()) {
            m = HOST_PORT.matcher(text);
            if (!m.matches()) {
                throw new BadValue(LISTEN);
            }
        }
        String port = m.group(2);
        if (port.length() > 5 || Integer.parseInt(port) > 65535) {
            throw new BadValue("host:port with a port in 0..65535");
        }
        return new HostPort(m.group(1), Integer.parseInt(port));
    }

    static URI url(String text) {
        return url(text, "http", URL);
    }

    /** A {@code ws:} or {@code wss:} URL with a host. */
    static URI wsUrl(String text) {
        return url(text, "ws", WS_URL);
    }

    /** A URL of scheme {@code plain} or its TLS form ({@code plain + "s"}) with a host. */
    private static URI url(String text, String plain, String expected) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new BadValue(expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(plain) && !scheme.equals(plain + "s") || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new BadValue(expected);
        }
        return uri;
    }

    /** {@code 250ms}, {@code 10s}, {@code 2m} or {@code 1h}; a bare number is refused (which unit?). */
    static Duration duration(String text) {
        Matcher m = DURATION_FORM.matcher(text);
        if (!m.matches()) {
            throw new BadValue(DURATION);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** A decimal integer, or a hexadecimal one written {@code 0x539}; {@code null} if neither. */
    static BigInteger integer(String text) {
        if (INTEGER_FORM.matcher(text).matches()) {
            return new BigInteger(text);
        }
        Matcher hex = HEX_FORM.matcher(text);
        return hex.matches() ? new BigInteger(hex.group(1), 16) : null;
    }

    /** The shortest of {@code 1h}, {@code 2m}, {@code 10s}, {@code 250ms} that is exact. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        } else if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        } else if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
