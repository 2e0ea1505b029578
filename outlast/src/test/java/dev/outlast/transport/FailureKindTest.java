package dev.outlast.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FailureKindTest {

    /** The labels are metric tags, API values and stored observations: renaming a constant must show here. */
    @Test
    void labelsAreTheWordsMetricsTheApiAndStoredObservationsUse() {
        assertThat(Arrays.stream(FailureKind.values()).map(FailureKind::label)).containsExactly(
                "timeout", "connect", "reset", "http_5xx", "vendor_page", "rate_limited", "http_4xx",
                "bad_response", "node_error", "wrong_answer", "wrong_chain");
    }
}
