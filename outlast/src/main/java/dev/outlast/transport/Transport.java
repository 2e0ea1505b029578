package dev.outlast.transport;

/**
 * The socket transport Outlast asks Armeria for: io_uring, where the kernel offers it.
 *
 * <p>A gateway spends most of a request in system calls: reading the client, writing the
 * upstream, reading its answer, writing the client. With io_uring the event loop hands the kernel
 * its reads and writes in batches instead of one system call each, so a pass-through serves more
 * requests for less CPU (docs/benchmarks.md has the measurements). Where io_uring is missing
 * (kernels before 5.9, containers whose seccomp profile forbids it) Armeria logs that it is not
 * available and uses epoll, as it would by default; nothing else changes.
 *
 * <p>An operator's own choice wins: {@code -Dcom.linecorp.armeria.transportType=epoll} (or
 * {@code nio}) in {@code OUTLAST_JAVA_OPTS} is left as it is.
 *
 * <p>Thread-safe: it only sets a system property, once.
 */
public final class Transport {

    /** Armeria's flag; read once, when Armeria's {@code Flags} class is first used. */
    static final String PROPERTY = "com.linecorp.armeria.transportType";

    private Transport() {
    }

    /**
     * Asks for io_uring unless a transport was chosen already. Call before anything touches
     * Armeria: its flags are read once per JVM.
     */
    public static void preferIoUring() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "io_uring");
        }
    }
}
