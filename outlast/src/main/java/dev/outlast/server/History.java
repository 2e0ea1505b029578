package dev.outlast.server;

import dev.outlast.admin.MonitoringView;
import dev.outlast.incident.IncidentView;
import dev.outlast.monitor.Monitor;
import dev.outlast.store.HistoryStore;
import dev.outlast.store.StoredIncident;
import dev.outlast.store.Uptime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge to the {@link HistoryStore}: every write and read runs on one dedicated thread, and
 * readers on event loops get the last {@link Cached} copy (recent incidents and 90-day uptime),
 * refreshed after writes. A failing store is logged and does not stop monitoring.
 *
 * <p>Thread-safe.
 */
final class History implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(History.class);
    static final int RECENT = 50;

    /** What the API and status page read. */
    record Cached(List<IncidentView> incidents, Map<String, List<Uptime>> uptime) {
        static final Cached EMPTY = new Cached(List.of(), Map.of());
    }

    private final HistoryStore store;
    private final Clock clock;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outlast-history");
        t.setDaemon(true);
        return t;
    });
    private volatile Cached cached = Cached.EMPTY;

    History(HistoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Cached cached() {
        return cached;
    }

    String description() {
        return store.description();
    }

    void closeDangling() {
        submit(() -> {
            int n = store.closeDangling(clock.instant());
            if (n > 0) {
                log.info("history: resolved {} incident(s) left open by a previous run", n);
            }
        });
    }

    void save(IncidentView incident) {
        submit(() -> store.saveIncident(StoredForm.toStored(incident)));
    }

    void flush(List<Monitor.MinuteSample> samples) {
        List<HistoryStore.MinuteRow> rows = new ArrayList<>(samples.size());
        for (Monitor.MinuteSample s : samples) {
            rows.add(new HistoryStore.MinuteRow(s.subjectId(), Instant.ofEpochMilli(s.minuteEpochMillis()), s.ok(),
                    s.failed(), s.latencySumMs()));
        }
        submit(() -> store.addMinutes(rows));
        refresh();
    }

    void prune(Duration retention) {
        submit(() -> {
            int n = store.prune(clock.instant().minus(retention));
            if (n > 0) {
                log.info("history: pruned {} per-minute result(s) older than {} days", n, retention.toDays());
            }
        });
    }

    void refresh() {
        submit(() -> {
            List<StoredIncident> stored = store.incidents(RECENT);
            Map<String, List<String>> children = new HashMap<>();
            stored.forEach(s -> {
                if (s.parentId() != null) {
                    children.computeIfAbsent(s.parentId(), k -> new ArrayList<>()).add(s.id());
                }
            });
            List<IncidentView> views = stored.stream()
                    .map(s -> StoredForm.fromStored(s, children.getOrDefault(s.id(), List.of()))).toList();
            Instant since = clock.instant().minus(Duration.ofDays(MonitoringView.UPTIME_DAYS - 1)).truncatedTo(ChronoUnit.DAYS);
            cached = new Cached(views, store.dailyUptime(since));
        });
    }

    /** Waits until everything submitted so far has run (tests, and shutdown). */
    void sync() {
        try {
            thread.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("history: waiting for the store timed out or failed: {}", e.toString());
        }
    }

    private void submit(Runnable work) {
        try {
            thread.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("history: {}", e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: the last writes were already flushed.
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
