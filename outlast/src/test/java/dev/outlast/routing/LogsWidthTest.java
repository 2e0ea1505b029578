package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The eth_getLogs width narrows at a refusal at once, and widens back slowly. */
class LogsWidthTest {

    private final FakeTicker ticker = new FakeTicker();
    private final LogsWidth width = new LogsWidth(2000, ticker);

    @Test
    void aRefusalNarrowsAtOnceAndOnlyEverNarrowsWithinTheWindow() {
        assertThat(width.refused(500)).isEqualTo(2000);
        assertThat(width.current()).isEqualTo(500);
        assertThat(width.refused(1000)).as("a wider suggestion does not widen it").isEqualTo(500);
        ticker.advance(LogsWidth.WIDEN_AFTER.minus(Duration.ofSeconds(1)));
        assertThat(width.current()).isEqualTo(500);
    }

    @Test
    void withoutRefusalsTheWidthDoublesBackToTheMaximumStepByStep() {
        width.refused(300);
        ticker.advance(LogsWidth.WIDEN_AFTER);
        assertThat(width.current()).isEqualTo(600);
        assertThat(width.current()).as("one step per window").isEqualTo(600);
        ticker.advance(LogsWidth.WIDEN_AFTER);
        assertThat(width.current()).isEqualTo(1200);
        ticker.advance(LogsWidth.WIDEN_AFTER);
        assertThat(width.current()).as("never past the configured maximum").isEqualTo(2000);
        ticker.advance(LogsWidth.WIDEN_AFTER);
        assertThat(width.current()).isEqualTo(2000);
    }

    @Test
    void aRefusalAfterWideningNarrowsAgainAndRestartsTheWindow() {
        width.refused(300);
        ticker.advance(LogsWidth.WIDEN_AFTER);
        assertThat(width.current()).isEqualTo(600);
        assertThat(width.refused(300)).isEqualTo(600);
        ticker.advance(LogsWidth.WIDEN_AFTER.minus(Duration.ofSeconds(1)));
        assertThat(width.current()).isEqualTo(300);
    }
}
