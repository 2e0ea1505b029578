package dev.outlast.health;

import static dev.outlast.health.Replies.ok;
import static dev.outlast.health.Replies.timeout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What readers see: one immutable view per change, whole, and the decisions that stay atomic. */
class HealthViewPublicationTest {

    private static final int THREADS = 4;

    private final FakeTicker ticker = new FakeTicker();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final UpstreamHealth health = new UpstreamHealth("a", ticker,
            (name, from, to, reason) -> heard.add(from.label() + " -> " + to.label()));

    @Test
    void aViewTakenBeforeWritesKeepsAnsweringAsOfThen() {
        health.chainIdChecked(null);
        health.headReported(100);
        HealthView before = health.current();

        for (int i = 0; i < 3; i++) {
            health.record(timeout());
        }
        health.headReported(90);

        long now = ticker.nanos();
        assertThat(before.isUsable(now)).isTrue();
        assertThat(before.consecutiveFailures()).isZero();
        assertThat(before.node().head()).isEqualTo(100);
        HealthView after = health.current();
        assertThat(after.isUsable(now)).isFalse();
        assertThat(after.consecutiveFailures()).isEqualTo(3);
        assertThat(after.node().head()).isEqualTo(90);
        assertThat(after.node().highestHead()).isEqualTo(100);
    }

    @Test
    void timeMovesAViewWithoutAnyWrite() {
        health.chainIdChecked(null);
        for (int i = 0; i < 3; i++) {
            health.record(timeout());
        }
        HealthView view = health.current();

        assertThat(view.state(ticker.nanos())).isEqualTo(HealthState.DOWN);
        assertThat(view.isUsable(ticker.nanos())).isFalse();
        ticker.advance(Duration.ofSeconds(1));

        assertThat(health.current()).as("no write, no new view").isSameAs(view);
        assertThat(view.isUsable(ticker.nanos())).as("half-open: one probe may go").isTrue();
    }

    @Test
    void reservingTheHalfOpenProbeIsPublishedButNotReported() {
        health.chainIdChecked(null);
        for (int i = 0; i < 3; i++) {
            health.record(timeout());
        }
        ticker.advance(Duration.ofSeconds(1));
        List<String> before = List.copyOf(heard);

        assertThat(health.tryAdmit()).isTrue();

        assertThat(health.current().isUsable(ticker.nanos())).as("the probe is taken").isFalse();
        assertThat(heard).isEqualTo(before);
        health.record(ok());
        assertThat(health.isUsable()).isTrue();
    }

    @Test
    void concurrentRequestsTakeTheHalfOpenProbeOnce() throws Exception {
        health.chainIdChecked(null);
        for (int i = 0; i < 3; i++) {
            health.record(timeout());
        }
        ticker.advance(Duration.ofSeconds(1));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < 200; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> admitted = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    admitted.add(pool.submit(() -> {
                        start.await();
                        return health.tryAdmit();
                    }));
                }
                start.countDown();
                int yes = 0;
                for (Future<Boolean> f : admitted) {
                    yes += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(yes).as("round %d", round).isEqualTo(1);
                health.record(Replies.headerNotFound());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readersSeeEachWriteWholeWhileWritersRace() throws Exception {
        health.chainIdChecked(null);
        int perWriter = 2_000;
        double[] errorRateAfter = new double[THREADS * perWriter + 1];
        for (int k = 1; k < errorRateAfter.length; k++) {
            errorRateAfter[k] = (1 - 0.1) * errorRateAfter[k - 1] + 0.1;
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            Future<Integer> reader = pool.submit(() -> {
                int views = 0;
                while (writing.get()) {
                    HealthView h = health.current();
                    int failures = h.consecutiveFailures();
                    assertThat(h.errorRate()).as("after %d timeouts", failures).isEqualTo(errorRateAfter[failures]);
                    assertThat(h.isUsable(ticker.nanos())).as("after %d timeouts", failures).isEqualTo(failures < 3);
                    views++;
                }
                return views;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        health.record(timeout());
                    }
                }));
            }
            for (Future<?> w : writers) {
                w.get(30, TimeUnit.SECONDS);
            }
            writing.set(false);
            assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(health.snapshot().calls()).isEqualTo(THREADS * perWriter);
        assertThat(health.current().consecutiveFailures()).isEqualTo(THREADS * perWriter);
        assertThat(heard).containsExactlyInAnyOrder("down -> healthy", "healthy -> degraded", "degraded -> down");
    }
}
