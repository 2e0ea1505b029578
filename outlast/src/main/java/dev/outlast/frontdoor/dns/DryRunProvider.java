package dev.outlast.frontdoor.dns;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider configured with {@code dryRun: true}: a write is logged and kept as {@link #wouldWrite()}, and
 * nothing is sent; a read asks the real provider, so the status page shows what DNS really serves.
 *
 * <p>Because a write changes nothing, reading back after it shows the record as it was: a caller compares the
 * read-back with {@link #wouldWrite()}'s record only for providers that are not {@link #isDryRun(DnsProvider)
 * dry runs}, and shows "not written (dry run)" for the others.
 *
 * <p>Thread-safe.
 */
public final class DryRunProvider implements DnsProvider {

    private static final Logger log = LoggerFactory.getLogger(DryRunProvider.class);

    /** A write that was not made, and when. */
    public record WouldWrite(RecordSet records, Instant at) {
    }

    private final DnsProvider real;
    private final Clock clock;
    private final AtomicReference<WouldWrite> last = new AtomicReference<>();

    public DryRunProvider(DnsProvider real, Clock clock) {
        this.real = real;
        this.clock = clock;
    }

    /** Whether {@code provider} writes nothing. */
    public static boolean isDryRun(DnsProvider provider) {
        return provider instanceof DryRunProvider;
    }

    @Override
    public String describe() {
        return real.describe() + " (dry run)";
    }

    @Override
    public String zone() {
        return real.zone();
    }

    @Override
    public CompletableFuture<Void> write(RecordSet records) {
        last.set(new WouldWrite(records, clock.instant()));
        log.info("dry run: would write {} {} {} (ttl {}s) to {}", records.hostname(), records.type(),
                 String.join(" ", records.values()), records.ttl().toSeconds(), real.describe());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<RecordSet>> read(String hostname) {
        return real.read(hostname);
    }

    /** The last write not made, if any. */
    public Optional<WouldWrite> wouldWrite() {
        return Optional.ofNullable(last.get());
    }

    @Override
    public void close() {
        real.close();
    }
}
