package dev.outlast.frontdoor;

import dev.outlast.frontdoor.dns.DnsProvider;
import dev.outlast.frontdoor.dns.DnsProviderException;
import dev.outlast.frontdoor.dns.RecordSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS provider in memory for tests: serves what was written; can refuse the next writes with the
 * provider's own words, or serve something else than what was written.
 *
 * <p>Thread-safe.
 */
final class MemoryDnsProvider implements DnsProvider {

    private final String name;
    private final Map<String, RecordSet> records = new ConcurrentHashMap<>();
    private final List<RecordSet> writes = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuse = new AtomicInteger();
    private volatile String refusal = "update refused: NOTAUTH";
    private volatile RecordSet override;

    MemoryDnsProvider(String name) {
        this.name = name;
    }

    /** The provider serves {@code records} before anything is written. */
    MemoryDnsProvider serving(RecordSet initial) {
        records.put(initial.hostname(), initial);
        return this;
    }

    /** The next {@code n} writes fail with {@code words}. */
    MemoryDnsProvider refuseNext(int n, String words) {
        refusal = words;
        refuse.set(n);
        return this;
    }

    /** Reads answer {@code records} whatever was written (a secondary that does not follow, say); null stops it. */
    void readAlways(RecordSet records) {
        override = records;
    }

    List<RecordSet> writes() {
        return List.copyOf(writes);
    }

    Optional<RecordSet> current(String hostname) {
        return Optional.ofNullable(records.get(hostname));
    }

    @Override
    public String describe() {
        return "memory " + name;
    }

    @Override
    public String zone() {
        return "example.com";
    }

    @Override
    public CompletableFuture<Void> write(RecordSet r) {
        if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new DnsProviderException(describe(), refusal));
        }
        writes.add(r);
        records.put(r.hostname(), r);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<RecordSet>> read(String hostname) {
        RecordSet o = override;
        return CompletableFuture.completedFuture(o != null ? Optional.of(o) : Optional.ofNullable(records.get(hostname)));
    }
}
