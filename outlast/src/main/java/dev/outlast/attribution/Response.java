package dev.outlast.attribution;

import com.linecorp.armeria.common.HttpHeaders;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a response the rules look at, with null-safe, case-insensitive accessors: a missing
 * header reads as {@code ""}, header names are matched case-insensitively, and the body is kept
 * lower-cased and cut to {@link Attributor#BODY_PREFIX_CHARS}. Immutable.
 */
final class Response {

    private final int status;
    private final HttpHeaders headers;
    private final String body;

    Response(int status, HttpHeaders headers, String bodyPrefix) {
        this.status = status;
        this.headers = headers == null ? HttpHeaders.of() : headers;
        String b = bodyPrefix == null ? "" : bodyPrefix;
        if (b.length() > Attributor.BODY_PREFIX_CHARS) {
            b = b.substring(0, Attributor.BODY_PREFIX_CHARS);
        }
        this.body = b.toLowerCase(Locale.ROOT);
    }

    int status() {
        return status;
    }

    boolean statusIn(int... statuses) {
        for (int s : statuses) {
            if (s == status) {
                return true;
            }
        }
        return false;
    }

    boolean has(String name) {
        return !header(name).isEmpty();
    }

    /** Every value of the header joined with {@code ", "}, as sent; {@code ""} when absent. */
    String header(String name) {
        List<String> values = headers.getAll(name.toLowerCase(Locale.ROOT));
        return values.isEmpty() ? "" : String.join(", ", values).trim();
    }

    /** {@link #header} lower-cased. */
    String lower(String name) {
        return header(name).toLowerCase(Locale.ROOT);
    }

    /** Whether the lower-cased body prefix contains any of {@code needles} (given in lower case). */
    boolean bodyContains(String... needles) {
        for (String needle : needles) {
            if (body.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
