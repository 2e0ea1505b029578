package dev.outlast.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} on a {@link FakeTicker}: tasks run only when a test
 * {@linkplain #advance advances} time, in the order they are due, on the test's thread, each with
 * the ticker at its due time. With this scheduler and ticker, a chain's timers (deadlines, hedges,
 * pauses before retries, waits for a rate budget or a Retry-After, head polls) follow the test's
 * clock, while calls to upstreams stay real asynchronous I/O.
 *
 * <p>Thread-safe: tasks may be scheduled from any thread (an I/O callback arming a timer).
 */
public final class FakeScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final FakeTicker ticker;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long sequence;
    private volatile boolean shutdown;

    public FakeScheduler(FakeTicker ticker) {
        this.ticker = ticker;
    }

    /** Runs the tasks due now. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves time forward by {@code duration}, running every task due by then in order. */
    public void advance(Duration duration) {
        long target = ticker.nanos() + duration.toNanos();
        for (Task<?> task; (task = pollDue(target)) != null; ) {
            long behind = task.due - ticker.nanos();
            if (behind > 0) {
                ticker.advance(Duration.ofNanos(behind));
            }
            task.run();
        }
        long rest = target - ticker.nanos();
        if (rest > 0) {
            ticker.advance(Duration.ofNanos(rest));
        }
    }

    /** How many tasks wait for their time (a periodic one counts once). */
    public synchronized int pending() {
        return queue.size();
    }

    private synchronized Task<?> pollDue(long target) {
        Task<?> first = queue.peek();
        if (first == null || first.due - target > 0) {
            return null;
        }
        return queue.poll();
    }

    private synchronized <V> Task<V> enqueue(Task<V> task) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        task.sequence = sequence++;
        queue.add(task);
        return task;
    }

    private synchronized void remove(Task<?> task) {
        queue.remove(task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(command, null), at(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable, at(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(command, null), at(initialDelay, unit), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(command, null), at(initialDelay, unit), unit.toNanos(delay)));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    private long at(long delay, TimeUnit unit) {
        return ticker.nanos() + Math.max(0, unit.toNanos(delay));
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> pending = new ArrayList<>(queue);
        queue.clear();
        return pending;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    /** A task due at a ticker time; a periodic one is queued again after each run, one period later. */
    private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {

        private final long period;
        private long due;
        private long sequence;

        Task(Callable<V> callable, long due, long period) {
            super(callable);
            this.due = due;
            this.period = period;
        }

        @Override
        public boolean isPeriodic() {
            return period > 0;
        }

        @Override
        public void run() {
            if (!isPeriodic()) {
                super.run();
            } else if (runAndReset() && !shutdown) {
                due = ticker.nanos() + period;
                enqueue(this);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            remove(this);
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - ticker.nanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> that = (Task<?>) other;
            int byDue = Long.compare(due, that.due);
            return byDue != 0 ? byDue : Long.compare(sequence, that.sequence);
        }
    }
}
