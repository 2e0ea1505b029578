package dev.outlast.frontdoor.dns;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A place a front door's record is written to and read back from: an RFC 2136 server, Route 53,
 * Cloudflare DNS, or Outlast's built-in authoritative server.
 *
 * <p>A failure completes the future exceptionally with a {@link DnsProviderException} carrying the
 * provider's own words ({@code NOTAUTH}, {@code REFUSED}, {@code BADSIG}, an HTTP 403 and its message).
 * Neither call retries: the caller does, with backoff, and never lets one provider hold up another.
 *
 * <p>Implementations are thread-safe and never block the caller's thread.
 */
public interface DnsProvider extends AutoCloseable {

    /** How the provider is named in logs, the API and the status page: its type and where it is, no secrets. */
    String describe();

    /** The zone this provider serves; a steered hostname must be in it. */
    String zone();

    /** Replaces every {@code CNAME}, {@code A} and {@code AAAA} record of {@code records.hostname()} with {@code records}. */
    CompletableFuture<Void> write(RecordSet records);

    /**
     * What the provider serves for {@code hostname} now ({@code CNAME}, else {@code A}, else {@code AAAA}),
     * read from the authoritative source (for RFC 2136 the server named; for an API, its read call);
     * empty when the name has none of them.
     */
    CompletableFuture<Optional<RecordSet>> read(String hostname);

    @Override
    default void close() {
    }
}
