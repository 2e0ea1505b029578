package dev.outlast.frontdoor.dns;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The records Outlast's own {@link AuthoritativeServer} serves for a zone delegated to it: a write replaces
 * the name's record set in memory, and the server answers from it at once.
 *
 * <p>Only names written here are answered; the server refuses every other name, including other names of
 * the zone. A write for a name outside the zone fails ({@code NOTZONE}). Nothing is persisted: after a restart
 * the front door writes its current target again.
 *
 * <p>Thread-safe; every call completes at once.
 */
public final class BuiltInZone implements DnsProvider {

    private final String zone;
    private final ConcurrentMap<String, RecordSet> records = new ConcurrentHashMap<>();

    /** @param zone the delegated zone (a name such as {@code example.com}, or the steered hostname itself) */
    public BuiltInZone(String zone) {
        this.zone = WireRecords.hostname(zone);
    }

    @Override
    public String describe() {
        return "built-in (zone " + zone + ")";
    }

    @Override
    public String zone() {
        return zone;
    }

    @Override
    public CompletableFuture<Void> write(RecordSet records) {
        String name = WireRecords.hostname(records.hostname());
        if (!WireRecords.inZone(name, zone)) {
            return CompletableFuture.failedFuture(new DnsProviderException(describe(),
                    "update refused: NOTZONE (" + name + " is not in " + zone + ")"));
        }
        RecordSet canonical;
        try {
            canonical = new RecordSet(name, records.type(), records.values().stream()
                    .map(value -> WireRecords.canonical(records.type(), value)).sorted().toList(), records.ttl());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new DnsProviderException(describe(), e.getMessage()));
        }
        this.records.put(name, canonical);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<RecordSet>> read(String hostname) {
        return CompletableFuture.completedFuture(lookup(hostname));
    }

    /** What the server answers for {@code hostname} (any case, with or without the trailing dot). */
    public Optional<RecordSet> lookup(String hostname) {
        return Optional.ofNullable(records.get(WireRecords.hostname(hostname)));
    }
}
