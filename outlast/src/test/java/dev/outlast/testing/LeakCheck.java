package dev.outlast.testing;

import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which Netty's leak detector reports a leaked buffer (or any other resource
 * Netty tracks). Registered for every test by JUnit's extension auto-detection
 * ({@code junit-platform.properties} and {@code META-INF/services}); the tests run with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked with its access records.
 *
 * <p>Implementation note: Netty learns of a leak only when the garbage collector has cleared a buffer
 * that was never released, and reports it the next time a buffer is allocated (it polls its reference
 * queue then); by itself it only logs. This extension installs a {@link ResourceLeakDetectorFactory}
 * whose detectors also record each report, and after each test that had Netty track a buffer (and
 * after each test class, for what its teardown leaks) runs the collector, waits until it has cleared
 * references, allocates a buffer, and fails with every report recorded since the last check. A buffer
 * that stays reachable
 * after its test (held by a server shared by a class's tests) is reported when it is collected, so a
 * leak may fail a later test of the same run: the access records say where the buffer was used. The
 * factory must be installed before Netty creates its buffer detector (when the first buffer class is
 * initialised); loading this class installs it, and {@code LeakCheckTest} proves that it took.
 *
 * <p>Thread-safe: leaks are recorded from any thread (Netty reports on the thread that allocates).
 */
public final class LeakCheck implements AfterEachCallback, AfterAllCallback {

    private static final Queue<String> REPORTED = new ConcurrentLinkedQueue<>();
    /** Buffers (and other resources) Netty has tracked so far. */
    private static final AtomicLong TRACKED = new AtomicLong();
    /** {@link #TRACKED} after the last collection; read and written on the thread that runs the tests. */
    private static long trackedAtLastCheck = -1;

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks(context, false);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnLeaks(context, true);
    }

    /**
     * Lets Netty report what the collector finds and throws if a leak was reported since the last check. The
     * collection (a full one, a few hundred milliseconds on a busy machine) is skipped after a test that
     * allocated no tracked buffer; a buffer such a test lets go of is found by the class's check.
     */
    private static void failOnLeaks(ExtensionContext context, boolean always) {
        if (always || TRACKED.get() != trackedAtLastCheck) {
            awaitCollection();
            Unpooled.directBuffer(1).release(); // tracked (Unpooled's heap buffers are not): Netty polls its queue
            trackedAtLastCheck = TRACKED.get();
        }
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = REPORTED.poll()) != null; ) {
            leaks.add(leak);
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty resource leak(s) reported during "
                    + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }

    /** Runs the collector until a fresh weak reference has been cleared and enqueued. */
    private static void awaitCollection() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                System.gc();
                if (queue.remove(1000) != null) {
                    // the collector hands cleared references to the queues in no set order: give the
                    // reference handler a moment for the rest of that batch (a leaked buffer's tracker
                    // among them), or the leak is reported in a later test
                    Thread.sleep(5);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Reference.reachabilityFence(sentinel);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {

        @Override
        @SuppressWarnings("deprecation") // the one abstract method; Netty calls it with maxActive unused
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {

        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        public ResourceLeakTracker<T> track(T obj) {
            TRACKED.incrementAndGet();
            return super.track(obj);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            REPORTED.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
                    + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            REPORTED.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                    + " (no access records: run with -Dio.netty.leakDetection.level=paranoid)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
