package dev.outlast.server;

import dev.outlast.routing.RoutingListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failover storms: one line per chain per {@link #PERIOD_SECONDS} seconds in which at least
 * {@value #THRESHOLD} requests moved away from a failing upstream, with the count per upstream,
 * instead of one line per request.
 *
 * <p>Thread-safe: counters are lock-free; the summary runs on the scheduler.
 */
final class FailoverStormLog implements RoutingListener, AutoCloseable {

    static final int PERIOD_SECONDS = 10;
    static final int THRESHOLD = 20;
    private static final Logger log = LoggerFactory.getLogger(FailoverStormLog.class);

    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> task;

    FailoverStormLog(ScheduledExecutorService scheduler) {
        task = scheduler.scheduleAtFixedRate(this::summarize, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void onFailover(String chain, String method, String from) {
        counts.computeIfAbsent(chain, c -> new ConcurrentHashMap<>())
              .computeIfAbsent(from, u -> new LongAdder()).increment();
    }

    void summarize() {
        try {
            summarizeOnce();
        } catch (RuntimeException e) {
            log.error("failover summary failed", e);
        }
    }

    private void summarizeOnce() {
        for (Map.Entry<String, Map<String, LongAdder>> chain : counts.entrySet()) {
            Map<String, Long> perUpstream = new TreeMap<>();
            long total = 0;
            for (Map.Entry<String, LongAdder> e : chain.getValue().entrySet()) {
                long n = e.getValue().sumThenReset();
                if (n > 0) {
                    perUpstream.put(e.getKey(), n);
                    total += n;
                }
            }
            if (total >= THRESHOLD) {
                log.warn("chain {}: {} requests failed over in the last {} s, away from {}", chain.getKey(), total,
                         PERIOD_SECONDS, perUpstream);
            }
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
