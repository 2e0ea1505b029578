package dev.outlast.frontdoor;

import dev.outlast.frontdoor.dns.DnsProvider;
import dev.outlast.frontdoor.dns.DnsProviderException;
import dev.outlast.frontdoor.dns.DryRunProvider;
import dev.outlast.frontdoor.dns.RecordSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps one DNS provider serving the record set a front door wants: writes it, reads it back from
 * the provider's authoritative source and compares ({@link RecordSet#sameTarget}, and the TTL), and
 * retries a failed write or a read-back that differs with backoff (1 s, doubling, at most 1 min),
 * until it matches or another record set is wanted (that one is written at once). At most one
 * write is in flight; nothing here waits for another provider. A dry-run provider writes nothing,
 * so its read-back (the real record) is shown but not compared.
 *
 * <p>Thread-safe: state is guarded by this object; the {@link Events} are told outside the lock.
 */
final class ProviderSync {

    /** What the front door hears from a provider. Called outside the provider's lock, never concurrently for one provider. */
    interface Events {
        /** The provider failed for the first time since it last succeeded. */
        void failing(ProviderSync provider, String error);

        /** The provider works again (serves what is wanted, or answers a read) after {@code failures} failed attempts. */
        void recovered(ProviderSync provider, int failures);
    }

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /** How long one write or read may take before it counts as failed. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final DnsProvider provider;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Events events;
    private final Duration firstBackoff;
    private final boolean dryRun;
    private RecordSet wanted;
    private boolean writing;
    private boolean closed;
    private ScheduledFuture<?> retry;
    private Instant retryAt;
    private int failures;
    /** The last failure: the provider's words and when; {@code null} once it succeeded. */
    private Stamped<String> error;
    /** The last successful write. */
    private Stamped<RecordSet> written;
    /** The last read-back: what the name served ({@code null}: no record), {@code null} before any. */
    private Stamped<RecordSet> read;

    /** A value and when it was seen. */
    private record Stamped<T>(T value, Instant at) {
    }

    ProviderSync(DnsProvider provider, ScheduledExecutorService scheduler, Clock clock, Events events,
                 Duration firstBackoff) {
        this.provider = provider;
        this.scheduler = scheduler;
        this.clock = clock;
        this.events = events;
        this.firstBackoff = firstBackoff;
        this.dryRun = DryRunProvider.isDryRun(provider);
    }

    DnsProvider provider() {
        return provider;
    }

    /**
     * Reads what the provider serves for {@code hostname} now, and remembers it; completes with
     * {@code null} when the read failed (a failure like a write's), never exceptionally.
     */
    CompletableFuture<Optional<RecordSet>> readCurrent(String hostname) {
        return provider.read(hostname).orTimeout(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((found, e) -> {
                    Runnable event;
                    synchronized (this) {
                        Instant now = clock.instant();
                        if (e != null) {
                            event = failed(words(e), now);
                        } else {
                            read = new Stamped<>(found.orElse(null), now);
                            event = writing || retry != null ? null : succeeded();
                        }
                    }
                    if (event != null) {
                        event.run();
                    }
                    return e == null ? found : null;
                });
    }

    /** Makes the provider serve {@code records}: written now unless it already serves them (per the last read-back). */
    void want(RecordSet records) {
        synchronized (this) {
            if (closed || records.equals(wanted) && (writing || retry != null)) {
                return;
            }
            wanted = records;
            if (retry != null) {
                retry.cancel(false);
                retry = null;
                retryAt = null;
            }
            if (writing || failures == 0 && read != null && matches(read.value())) {
                return;
            }
            writing = true;
        }
        attempt();
    }

    private void attempt() {
        RecordSet target;
        synchronized (this) {
            target = wanted;
        }
        provider.write(target)
                .thenCompose(x -> provider.read(target.hostname()))
                .orTimeout(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((found, e) -> done(target, found, e));
    }

    private void done(RecordSet target, Optional<RecordSet> found, Throwable e) {
        Runnable event;
        boolean again;
        synchronized (this) {
            Instant now = clock.instant();
            String failure = null;
            if (e != null) {
                failure = words(e);
            } else {
                written = new Stamped<>(target, now);
                read = new Stamped<>(found.orElse(null), now);
                if (!dryRun && !matches(target, read.value())) {
                    failure = "read back " + (read.value() == null ? "no record" : show(read.value()))
                            + " after writing " + show(target);
                }
            }
            event = failure == null ? succeeded() : failed(failure, now);
            again = !closed && !target.equals(wanted);
            if (!again && !closed && failure != null) {
                long delay = Math.min(MAX_BACKOFF.toMillis(), firstBackoff.toMillis() << Math.min(failures - 1, 16));
                retryAt = now.plusMillis(delay);
                retry = scheduler.schedule(this::retry, delay, TimeUnit.MILLISECONDS);
            }
            writing = again;
        }
        if (event != null) {
            event.run();
        }
        if (again) {
            attempt();
        }
    }

    /** Counts a failure; the event to tell outside the lock when it is the first since a success. */
    private Runnable failed(String words, Instant now) {
        error = new Stamped<>(words, now);
        return ++failures == 1 ? () -> events.failing(this, words) : null;
    }

    /** Ends a run of failures; the event to tell outside the lock when there was one. */
    private Runnable succeeded() {
        int n = failures;
        failures = 0;
        error = null;
        return n > 0 ? () -> events.recovered(this, n) : null;
    }

    private void retry() {
        synchronized (this) {
            if (closed || writing) {
                return;
            }
            retry = null;
            retryAt = null;
            writing = true;
        }
        attempt();
    }

    private boolean matches(RecordSet actual) {
        return matches(wanted, actual);
    }

    private static boolean matches(RecordSet wanted, RecordSet actual) {
        return actual != null && wanted.sameTarget(actual) && wanted.ttl().equals(actual.ttl());
    }

    /** {@code CNAME d111.cloudfront.net (ttl 30s)}. */
    static String show(RecordSet r) {
        return r.type() + " " + String.join(", ", r.values()) + " (ttl " + r.ttl().toSeconds() + "s)";
    }

    /** The provider's own words for a failure. */
    private String words(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof DnsProviderException d) {
            return d.getMessage();
        }
        if (cause instanceof TimeoutException) {
            return "no answer within " + CALL_TIMEOUT.toSeconds() + "s";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    synchronized ProviderStatus status() {
        String state = writing ? "writing" : failures > 0 ? "failing" : dryRun && written != null ? "dry_run"
                : wanted != null && read != null && matches(read.value()) ? "in_sync" : "unknown";
        return new ProviderStatus(provider.describe(), state, wanted, at(written), value(written), at(read),
                value(read), read != null && read.value() == null, value(error), at(error), failures, retryAt);
    }

    private static Instant at(Stamped<?> stamped) {
        return stamped == null ? null : stamped.at();
    }

    private static <T> T value(Stamped<T> stamped) {
        return stamped == null ? null : stamped.value();
    }

    /** Whether the provider is failing now. */
    synchronized boolean failing() {
        return failures > 0;
    }

    /** Stops retrying; a write in flight completes without another. */
    void close() {
        synchronized (this) {
            closed = true;
            if (retry != null) {
                retry.cancel(false);
            }
        }
        provider.close();
    }
}
