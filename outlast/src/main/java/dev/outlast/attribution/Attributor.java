package dev.outlast.attribution;

import com.linecorp.armeria.common.HttpHeaders;

/**
 * Tells from a failed HTTP response which edge vendor produced it, whether the vendor generated
 * the error or passed the origin's through, and the edge location, by running the response
 * through an ordered table of documented vendor signatures (first match wins).
 *
 * <p>Stateless and thread-safe. Never throws for missing or odd headers: what a rule cannot read it
 * treats as absent. Header names are matched case-insensitively.
 */
public final class Attributor {

    /** How much of the body the rules look at; callers need not pass more. */
    public static final int BODY_PREFIX_CHARS = 4096;

    private Attributor() {
    }

    /**
     * Attributes one response.
     *
     * @param status     the HTTP status code
     * @param headers    the response headers; {@code null} reads as none
     * @param bodyPrefix the start of the body as text (about {@value #BODY_PREFIX_CHARS} characters
     *                   are read); {@code null} or empty when there is none
     * @return the first matching rule's attribution, or {@link Attribution#UNKNOWN}
     */
    public static Attribution attribute(int status, HttpHeaders headers, String bodyPrefix) {
        Response response = new Response(status, headers, bodyPrefix);
        for (Rule rule : Rules.ALL) {
            if (rule.matches().test(response)) {
                return rule.attribute(response);
            }
        }
        return Attribution.UNKNOWN;
    }
}
