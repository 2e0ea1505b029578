package dev.outlast.site;

import dev.outlast.attribution.Attribution;
import dev.outlast.transport.FailureKind;
import java.time.Instant;

/**
 * One failed attempt on an origin, as shown in the API and used by the failover rules.
 *
 * @param at          when it happened (wall clock)
 * @param kind        {@link FailureKind#CONNECT}, {@link FailureKind#TIMEOUT}, {@link FailureKind#RESET},
 *                    {@link FailureKind#HTTP_5XX} or {@link FailureKind#VENDOR_PAGE}
 * @param status      the HTTP status, 0 when no response came
 * @param attribution which vendor produced the response, {@link Attribution#UNKNOWN} when none (or no response)
 * @param notReceived true when the failure proves the origin never received the request (a connection
 *                    that failed before the request was sent, or a vendor page saying so)
 * @param detail      short words, e.g. {@code cloudflare 521} or {@code ConnectException: Connection refused}
 */
public record OriginFailure(Instant at, FailureKind kind, int status, Attribution attribution, boolean notReceived,
                            String detail) {

    /** The vendor label for metrics: the attributed vendor, or {@code none}. */
    public String vendorLabel() {
        return attribution.known() ? attribution.vendor().label() : "none";
    }
}
