package dev.outlast.monitor.probe;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.util.Exceptions;
import dev.outlast.monitor.Observation;
import dev.outlast.upstream.UrlRedactor;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;

/** Turns an exception from a probe run into a failed {@link Observation}. */
final class ProbeFailures {

    private ProbeFailures() {
    }

    static Observation of(Throwable error, double ms, UrlRedactor redactor) {
        Throwable cause = Exceptions.peel(error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error);
        if (cause instanceof ResponseTimeoutException || cause instanceof SocketTimeoutException) {
            return Observation.failure("timeout", "no response within the timeout", null, null, ms);
        }
        if (cause instanceof UnprocessedRequestException u && u.getCause() != null) {
            cause = u.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return Observation.failure("connect", redactor == null ? message : redactor.scrub(message), null, null, ms);
    }
}
