package dev.outlast.time;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Timers of a request (its deadline, a hedge, a pause before a retry) on the event loop that runs
 * the request, when the scheduler is that loop's group: arming and cancelling them then touches
 * only that loop's own queue, with no hand-over to another thread and no wake-up of it. Elsewhere
 * (a test's scheduler, a thread outside the group) the scheduler picks as it does.
 */
public final class Timers {

    private Timers() {
    }

    public static ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Runnable task, long delayNanos) {
        if (scheduler instanceof EventExecutorGroup group) {
            EventExecutor current = current(group);
            if (current != null) {
                return current.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            }
        }
        return scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The executor of {@code group} running the calling thread, or null when none does. */
    public static EventExecutor current(EventExecutorGroup group) {
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return e;
            }
        }
        return null;
    }
}
