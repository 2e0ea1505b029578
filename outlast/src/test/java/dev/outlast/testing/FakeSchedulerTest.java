package dev.outlast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fake scheduler runs what is due, in order, at the ticker time it was due, and only when time moves. */
class FakeSchedulerTest {

    private final FakeTicker ticker = new FakeTicker(0);
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final List<String> ran = new ArrayList<>();

    private Runnable record(String name) {
        return () -> ran.add(name + "@" + TimeUnit.NANOSECONDS.toMillis(ticker.nanos()));
    }

    @Test
    void tasksRunInDueOrderWithTheClockAtTheirDueTime() {
        scheduler.schedule(record("late"), 30, TimeUnit.MILLISECONDS);
        scheduler.schedule(record("early"), 10, TimeUnit.MILLISECONDS);
        scheduler.execute(record("now"));
        assertThat(ran).as("nothing runs before time moves").isEmpty();

        scheduler.advance(Duration.ofMillis(20));
        assertThat(ran).containsExactly("now@0", "early@10");
        assertThat(ticker.nanos()).isEqualTo(Duration.ofMillis(20).toNanos());

        scheduler.advance(Duration.ofMillis(20));
        assertThat(ran).containsExactly("now@0", "early@10", "late@30");
    }

    @Test
    void aTaskScheduledByATaskRunsWhenItIsDueWithinTheSameAdvance() {
        scheduler.schedule(() -> scheduler.schedule(record("chained"), 5, TimeUnit.MILLISECONDS), 10,
                TimeUnit.MILLISECONDS);
        scheduler.advance(Duration.ofMillis(100));
        assertThat(ran).containsExactly("chained@15");
    }

    @Test
    void aPeriodicTaskRepeatsAndACancelledOneDoesNot() {
        ScheduledFuture<?> poll = scheduler.scheduleWithFixedDelay(record("poll"), 0, 100, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> timer = scheduler.schedule(record("timer"), 50, TimeUnit.MILLISECONDS);
        timer.cancel(false);
        scheduler.advance(Duration.ofMillis(250));
        poll.cancel(false);
        scheduler.advance(Duration.ofMillis(250));
        assertThat(ran).containsExactly("poll@0", "poll@100", "poll@200");
        assertThat(timer.isCancelled()).isTrue();
    }
}
