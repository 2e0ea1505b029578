package dev.outlast.transport.client;

import dev.outlast.transport.FailureKind;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why a call of one of Outlast's clients got no answer: what {@link Http1Client}'s calls complete
 * with, what {@link OriginClient}'s responses fail with, and what {@link ArmeriaFailures} makes of a
 * failure of Armeria's client. It says the {@link FailureKind} ({@link FailureKind#CONNECT},
 * {@link FailureKind#TIMEOUT} or {@link FailureKind#RESET}), whether the request provably never
 * reached the peer (no connection was made, so a write may go elsewhere), and short words for the
 * API and the status page (which may carry the URL's secrets: the caller scrubs them).
 *
 * <p>Unchecked, and cheap: no stack trace is filled in (a failure is reported, not debugged, and a
 * failing provider or origin fails many calls). Immutable; thread-safe.
 */
public final class CallFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final FailureKind kind;
    private final boolean notReceived;

    /**
     * @param notReceived true only when the request provably never reached the peer
     * @param message     short words, e.g. {@code ConnectException: Connection refused}
     */
    public CallFailure(FailureKind kind, boolean notReceived, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.notReceived = notReceived;
    }

    /** No connection was made (refused, unresolvable, TLS handshake, connect timeout, client closed). */
    static CallFailure notConnected(Throwable cause) {
        return new CallFailure(FailureKind.CONNECT, true, Http1Connections.describe(cause));
    }

    /** The connection failed or closed before the answer; the peer may have received the request. */
    static CallFailure reset(String message) {
        return new CallFailure(FailureKind.RESET, false, message);
    }

    /** No response headers came within {@code responseTimeout} (the origin clients' timeout). */
    static CallFailure noResponseHeaders(Duration responseTimeout) {
        return new CallFailure(FailureKind.TIMEOUT, false,
                               "no response headers within " + responseTimeout.toMillis() + " ms");
    }

    /** {@link FailureKind#CONNECT}, {@link FailureKind#TIMEOUT} or {@link FailureKind#RESET}. */
    public FailureKind kind() {
        return kind;
    }

    /** True when the request provably never reached the peer. */
    public boolean notReceived() {
        return notReceived;
    }

    /**
     * {@code error} as a call failure: itself, or the one it wraps ({@link CompletionException},
     * {@link ExecutionException}); anything else (a failure this package did not make) is a
     * {@link FailureKind#RESET} described by its class and message.
     */
    public static CallFailure of(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
               && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof CallFailure failure ? failure : reset(Http1Connections.describe(cause));
    }
}
