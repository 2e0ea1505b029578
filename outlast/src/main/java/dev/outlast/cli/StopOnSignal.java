package dev.outlast.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or any JVM shutdown) for a command that runs until stopped: a shutdown hook calls
 * {@code stop}, then waits (at most {@code grace}) until the command has closed what it started,
 * which it says by closing this. Use with try-with-resources around the run and the cleanup.
 *
 * <p>Close it from the command's thread; the hook runs on its own thread.
 */
public final class StopOnSignal implements AutoCloseable {

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    private StopOnSignal(Runnable stop, long graceSeconds, String name) {
        this.hook = new Thread(() -> {
            stop.run();
            try {
                closed.await(graceSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Installs the hook; {@code name} names its thread. */
    public static StopOnSignal install(Runnable stop, long graceSeconds, String name) {
        return new StopOnSignal(stop, graceSeconds, name);
    }

    /** The command has cleaned up: a hook that is running may let the JVM exit; otherwise it is removed. */
    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is waiting for us
        }
    }
}
