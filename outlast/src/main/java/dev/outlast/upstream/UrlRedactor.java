package dev.outlast.upstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Hides the secrets that provider URLs carry (API keys in path segments, query values and user
 * info) so a URL can be shown in logs, metrics, the API and error messages.
 *
 * <p>A path segment is taken for a key when it is long and looks random: at least 24 characters, at
 * least 16 with a digit, or at least 12 with a digit and a letter. Every query value and any user info is hidden. Known
 * secrets can also be scrubbed from free text ({@link #scrub}).
 *
 * <p>Thread-safe (immutable).
 */
public final class UrlRedactor {

    public static final String MASK = "***";
    private static final Pattern HAS_DIGIT = Pattern.compile(".*\\d.*");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[A-Za-z].*");

    private final URI uri;
    private final String redacted;
    private final List<String> secrets;

    public UrlRedactor(URI uri) {
        this.uri = uri;
        List<String> found = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        out.append(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            found.add(uri.getRawUserInfo());
            out.append(MASK).append('@');
        }
        out.append(uri.getHost());
        if (uri.getPort() >= 0) {
            out.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty()) {
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty()) {
                    continue;
                }
                out.append('/');
                if (looksSecret(segment)) {
                    found.add(segment);
                    out.append(MASK);
                } else {
                    out.append(segment);
                }
            }
            if (path.endsWith("/") && path.length() > 1) {
                out.append('/');
            }
        }
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            out.append('?');
            String[] pairs = query.split("&");
            for (int i = 0; i < pairs.length; i++) {
                if (i > 0) {
                    out.append('&');
                }
                int eq = pairs[i].indexOf('=');
                if (eq < 0) {
                    found.add(pairs[i]);
                    out.append(MASK);
                } else {
                    String value = pairs[i].substring(eq + 1);
                    if (!value.isEmpty()) {
                        found.add(value);
                    }
                    out.append(pairs[i], 0, eq + 1).append(MASK);
                }
            }
        }
        this.redacted = out.toString();
        found.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(found);
    }

    /** The URL with every secret replaced by {@value #MASK}. */
    public String redacted() {
        return redacted;
    }

    /** The original URL; never show it. */
    public URI uri() {
        return uri;
    }

    /** {@code text} with every secret of this URL replaced by {@value #MASK}. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            if (secret.length() >= 4) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    static boolean looksSecret(String segment) {
        if (segment.length() >= 24) {
            return true;
        }
        boolean digit = HAS_DIGIT.matcher(segment).matches();
        return digit && (segment.length() >= 16 || segment.length() >= 12 && HAS_LETTER.matcher(segment).matches());
    }

    @Override
    public String toString() {
        return redacted;
    }
}
