package dev.outlast.transport.client;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.util.Exceptions;
import dev.outlast.transport.FailureKind;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * The one place where a failure of Armeria's client becomes a {@link CallFailure}: a site's
 * requests with a body, its health checks and its WebSocket upgrades still go through Armeria's
 * client, and past this boundary they fail in the same words as {@link OriginClient}'s.
 *
 * <p>{@link UnprocessedRequestException} (no connection was made: the peer never received the
 * request) is {@link FailureKind#CONNECT}, described by its cause; {@link ResponseTimeoutException}
 * is {@link FailureKind#TIMEOUT}, "no response headers within N ms"; anything else (a reset, a
 * closed stream or session) is {@link FailureKind#RESET}, described by its class and message.
 *
 * <p>Thread-safe (stateless).
 */
public final class ArmeriaFailures {

    private ArmeriaFailures() {
    }

    /**
     * {@code response}, from Armeria's client with {@code responseTimeout}, failing with a
     * {@link CallFailure} wherever it would fail with one of Armeria's exceptions.
     */
    public static HttpResponse mapped(HttpResponse response, Duration responseTimeout) {
        return response.mapError(e -> of(e, responseTimeout));
    }

    /** What {@code error}, from Armeria's client with {@code responseTimeout}, means as a call failure. */
    public static CallFailure of(Throwable error, Duration responseTimeout) {
        Throwable cause = Exceptions.peel(error instanceof CompletionException && error.getCause() != null
                                          ? error.getCause() : error);
        if (cause instanceof CallFailure failure) {
            return failure;
        }
        if (cause instanceof UnprocessedRequestException unprocessed) {
            return new CallFailure(FailureKind.CONNECT, true,
                                   describe(unprocessed.getCause() != null ? unprocessed.getCause() : unprocessed));
        }
        if (cause instanceof ResponseTimeoutException) {
            return CallFailure.noResponseHeaders(responseTimeout);
        }
        return CallFailure.reset(describe(cause));
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + message;
    }
}
