package dev.outlast.site;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.outlast.attribution.Attribution;
import dev.outlast.attribution.Source;
import dev.outlast.transport.FailureKind;
import java.util.Locale;
import java.util.Set;

/**
 * When a failed attempt may be sent again to another origin.
 *
 * <h2>Implementation note</h2>
 * A request that is safe to repeat — {@code GET}, {@code HEAD}, {@code OPTIONS}, or any request
 * carrying an {@code Idempotency-Key} — moves on after any failure: connect error, timeout, reset,
 * 5xx or vendor error page. Any other request (a write: {@code POST}, {@code PUT}, {@code PATCH},
 * {@code DELETE} without a key) moves on only when the failure <em>proves</em> that the origin never
 * received it: the connection failed before the request was written (Armeria reports such requests
 * as unprocessed), or an edge vendor's own error page says it could not reach the origin
 * ({@link #provesNotReceived}). A timeout after sending, a reset, a plain 5xx, Cloudflare 520 or 524,
 * or an unknown vendor page may all mean the origin ran the write; it is then never repeated, and
 * the client gets what the origin path answered. {@code PUT} and {@code DELETE} are idempotent by
 * HTTP's definition, but many APIs do not honour that, so they are treated as writes unless keyed.
 *
 * <p>Thread-safe (stateless).
 */
public final class FailoverRules {

    /** Cloudflare statuses that mean its edge never reached the origin (down, timeout, unreachable, TLS, DNS). */
    static final Set<Integer> CLOUDFLARE_NOT_RECEIVED = Set.of(521, 522, 523, 525, 526, 530);

    private FailoverRules() {
    }

    /** Safe to repeat: {@code GET}, {@code HEAD}, {@code OPTIONS}, or any request with {@code Idempotency-Key}. */
    public static boolean repeatable(RequestHeaders headers) {
        HttpMethod m = headers.method();
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS
               || headers.contains("idempotency-key");
    }

    /** Whether a request ({@code repeatable} as above) may move on to another origin after {@code failure}. */
    public static boolean mayRetry(boolean repeatable, OriginFailure failure) {
        return repeatable || failure.notReceived();
    }

    /**
     * Whether an edge's error response proves the origin never received the request.
     *
     * @param bodyPrefix the start of the body, any case; may be empty
     */
    public static boolean provesNotReceived(int status, Attribution a, String bodyPrefix) {
        if (a.source() != Source.VENDOR) {
            return false;
        }
        String body = bodyPrefix == null ? "" : bodyPrefix.toLowerCase(Locale.ROOT);
        return switch (a.vendor()) {
            case CLOUDFLARE -> CLOUDFLARE_NOT_RECEIVED.contains(status);
            case CLOUDFRONT -> status == 502 && (body.contains("wasn't able to connect to the origin")
                                                 || body.contains("wasn't able to resolve the origin domain name"));
            case AWS_ELB -> status == 503;
            case FASTLY -> status == 503 && body.contains("connection refused");
            default -> false;
        };
    }

    /** The failure kinds of an attempt that produced no response. */
    static boolean transportFailure(FailureKind kind) {
        return kind == FailureKind.CONNECT || kind == FailureKind.TIMEOUT || kind == FailureKind.RESET;
    }
}
