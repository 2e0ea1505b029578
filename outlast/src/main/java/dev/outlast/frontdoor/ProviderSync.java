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
    private String error;
    private Instant errorAt;
    private Instant writtenAt;
    private RecordSet written;
    private Instant readAt;
    private RecordSet read;
    private boolean readNothing;

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
                    Runnable event = null;
                    Optional<RecordSet> out;
                    synchronized (this) {
                        if (e != null) {
                            error = words(e);
                            errorAt = clock.instant();
                            if (++failures == 1) {
                                String words = error;
                                event = () -> events.failing(this, words);
                            }
                            out = null;
                        } else {
                            readAt = clock.instant();
                            read = found.orElse(null);
                            readNothing = found.isEmpty();
                            if (failures > 0 && !writing && retry == null) {
                                int n = failures;
                                event = () -> events.recovered(this, n);
                                failures = 0;
                                error = null;
                                errorAt = null;
                            }
                            out = found;
                        }
                    }
                    if (event != null) {
                        event.run();
                    }
                    return out;
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
            if (writing || failures == 0 && read != null && matches(read)) {
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
        Runnable event = null;
        boolean again;
        synchronized (this) {
            Instant now = clock.instant();
            String failure = null;
            if (e != null) {
                failure = words(e);
            } else {
                writtenAt = now;
                written = target;
                readAt = now;
                read = found.orElse(null);
                readNothing = found.isEmpty();
                if (!dryRun && !matches(target, read)) {
                    failure = "read back " + (read == null ? "no record" : show(read)) + " after writing " + show(target);
                }
            }
            if (failure == null) {
                if (failures > 0) {
                    int n = failures;
                    event = () -> events.recovered(this, n);
                }
                failures = 0;
                error = null;
                errorAt = null;
            } else {
                failures++;
                error = failure;
                errorAt = now;
                if (failures == 1) {
                    String words = failure;
                    event = () -> events.failing(this, words);
                }
            }
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
                : wanted != null && matches(read) ? "in_sync" : "unknown";
        return new ProviderStatus(provider.describe(), state, wanted, writtenAt, written, readAt, read, readNothing,
                error, errorAt, failures, retryAt);
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
