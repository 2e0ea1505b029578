package dev.outlast.frontdoor;

import dev.outlast.frontdoor.dns.RecordSet;
import java.time.Instant;

/**
 * One DNS provider of a front door as the API and the status page show it.
 *
 * @param provider    the provider's description (type and where, no secrets)
 * @param state       {@code in_sync} (the last read-back matched what is wanted), {@code writing},
 *                    {@code failing} (retrying with backoff), {@code dry_run} (logged what it would
 *                    write, wrote nothing) or {@code unknown} (nothing done yet)
 * @param wanted      the record set it should serve, or {@code null} before the first decision
 * @param writtenAt   when the last write succeeded, or {@code null}
 * @param written     what that write wrote, or {@code null}
 * @param readAt      when the record was last read back, or {@code null}
 * @param read        what the read-back found: {@code null} when never read, empty values when the
 *                    name had no record ({@link #readNothing})
 * @param readNothing whether the last read-back found no record for the name
 * @param error       the provider's own words for the last failure, or {@code null} once it succeeded
 * @param errorAt     when that failure happened, or {@code null}
 * @param failures    consecutive failed attempts
 * @param retryAt     when the next attempt is due while failing, or {@code null}
 *
 * <p>Thread-safe (immutable).
 */
public record ProviderStatus(String provider, String state, RecordSet wanted, Instant writtenAt, RecordSet written,
                             Instant readAt, RecordSet read, boolean readNothing, String error, Instant errorAt,
                             int failures, Instant retryAt) {
}
