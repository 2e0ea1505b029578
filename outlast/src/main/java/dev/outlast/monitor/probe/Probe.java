package dev.outlast.monitor.probe;

import dev.outlast.config.ProbeConfig;
import dev.outlast.monitor.Observation;
import dev.outlast.monitor.Subject;
import java.util.concurrent.CompletableFuture;

/**
 * One configured probe. {@link #run} completes with what one run found and never completes
 * exceptionally.
 *
 * <p>Implementations are thread-safe.
 */
public interface Probe {

    ProbeConfig config();

    default Subject subject() {
        return Subject.probe(config().name(), config().vendor());
    }

    CompletableFuture<Observation> run();
}
