package dev.outlast.health;

import static dev.outlast.health.Replies.headerNotFound;
import static dev.outlast.health.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Selection score and hedge delay. */
class UpstreamHealthScoringTest {

    private static final long MIN = Duration.ofMillis(20).toNanos();
    private static final long MAX = Duration.ofMillis(500).toNanos();

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void fasterUpstreamScoresLower() {
        UpstreamHealth fast = withLatencies(10, 10, 10);
        UpstreamHealth slow = withLatencies(300, 300, 300);

        assertThat(fast.score()).isLessThan(slow.score());
    }

    @Test
    void erroringUpstreamScoresHigherThanAnEquallyFastCleanOne() {
        UpstreamHealth clean = withLatencies(50, 50, 50);
        UpstreamHealth erroring = withLatencies(50, 50, 50);
        erroring.record(headerNotFound());
        erroring.record(headerNotFound());

        assertThat(clean.score()).isLessThan(erroring.score());
    }

    @Test
    void hedgeDelayIsTheMaximumBeforeFiveSamples() {
        UpstreamHealth health = withLatencies(100, 100, 100, 100);

        assertThat(health.hedgeDelayNanos(MIN, MAX)).isEqualTo(MAX);

        health.record(ok(100));

        assertThat(health.hedgeDelayNanos(MIN, MAX)).isEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void hedgeDelayClampsTheP90ToTheBounds() {
        assertThat(withLatencies(1, 1, 1, 1, 1).hedgeDelayNanos(MIN, MAX)).isEqualTo(MIN);
        assertThat(withLatencies(2000, 2000, 2000, 2000, 2000).hedgeDelayNanos(MIN, MAX)).isEqualTo(MAX);
    }

    private UpstreamHealth withLatencies(long... millis) {
        UpstreamHealth health = Replies.verified(ticker);
        for (long ms : millis) {
            health.record(ok(ms));
        }
        return health;
    }
}
