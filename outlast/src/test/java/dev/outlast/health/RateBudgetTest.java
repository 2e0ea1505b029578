package dev.outlast.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateBudgetTest {

    private final FakeTicker ticker = new FakeTicker();

    private int take(RateBudget budget, int n) {
        int taken = 0;
        for (int i = 0; i < n; i++) {
            if (budget.tryTake()) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void aConfiguredLimitAllowsOneSecondOfRequestsThenRefills() {
        RateBudget budget = new RateBudget(ticker, 10);
        assertThat(take(budget, 15)).isEqualTo(10);
        assertThat(budget.hasToken()).isFalse();
        assertThat(budget.nanosUntilToken()).isEqualTo(Duration.ofMillis(100).toNanos());

        ticker.advance(Duration.ofMillis(100));
        assertThat(take(budget, 5)).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(5));
        assertThat(take(budget, 50)).as("at most one second of tokens is kept").isEqualTo(10);
    }

    @Test
    void a429HalvesTheRateWhichThenRecoversToTheLimit() {
        RateBudget budget = new RateBudget(ticker, 10);
        budget.onRateLimited();
        assertThat(budget.rate()).isEqualTo(5);
        assertThat(budget.isLowered()).isTrue();
        assertThat(budget.hasToken()).as("no burst right after a 429").isFalse();

        ticker.advance(Duration.ofSeconds(1));
        assertThat(budget.rate()).isEqualTo(6);
        ticker.advance(Duration.ofSeconds(10));
        assertThat(budget.rate()).isEqualTo(10);
        assertThat(budget.isLowered()).isFalse();
    }

    @Test
    void withoutALimitA429LimitsToHalfTheRateSeenUntilTwiceThatIsReached() {
        RateBudget budget = new RateBudget(ticker, 0);
        assertThat(budget.rate()).isInfinite();
        for (int i = 0; i < 40; i++) {
            assertThat(budget.tryTake()).isTrue();
            ticker.advance(Duration.ofMillis(25));
        }
        ticker.advance(Duration.ofMillis(10));

        budget.onRateLimited();

        assertThat(budget.rate()).isBetween(15.0, 25.0);
        ticker.advance(Duration.ofSeconds(30));
        assertThat(budget.rate()).as("lifted once it is back to twice the rate").isInfinite();
        assertThat(budget.isLowered()).isFalse();
    }

    @Test
    void headPollsTakeTokensSoRequestsWait() {
        RateBudget budget = new RateBudget(ticker, 2);
        budget.takeAnyway();
        budget.takeAnyway();
        budget.takeAnyway();
        assertThat(budget.hasToken()).isFalse();
        assertThat(budget.nanosUntilToken()).isEqualTo(Duration.ofMillis(1000).toNanos());
    }

    @Test
    void theRateNeverFallsBelowOnePerSecond() {
        RateBudget budget = new RateBudget(ticker, 3);
        for (int i = 0; i < 10; i++) {
            budget.onRateLimited();
        }
        assertThat(budget.rate()).isEqualTo(RateBudget.MIN_RATE);
    }
}
