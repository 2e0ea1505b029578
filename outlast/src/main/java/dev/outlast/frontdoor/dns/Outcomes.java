package dev.outlast.frontdoor.dns;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Completes a provider's futures with a {@link DnsProviderException} itself, never a wrapper around it. */
final class Outcomes {

    private Outcomes() {
    }

    /**
     * A future completing as {@code future} does, except that a failure is passed through {@code explain}
     * (unwrapped first); a {@link DnsProviderException} is kept as it is.
     */
    static <T> CompletableFuture<T> settle(CompletableFuture<T> future, Function<Throwable, DnsProviderException> explain) {
        CompletableFuture<T> out = new CompletableFuture<>();
        future.whenComplete((value, e) -> {
            if (e == null) {
                out.complete(value);
                return;
            }
            Throwable cause = unwrap(e);
            out.completeExceptionally(cause instanceof DnsProviderException known ? known : explain.apply(cause));
        });
        return out;
    }

    static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
               && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
