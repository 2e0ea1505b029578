package dev.outlast.frontdoor.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.ExecutionException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What a provider's future failed with. */
final class Failures {

    private Failures() {
    }

    /** The cause of the {@link ExecutionException} that {@code get} throws; fails when it throws none. */
    static Throwable cause(ThrowingCallable get) {
        Throwable thrown = catchThrowable(get);
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }
}
