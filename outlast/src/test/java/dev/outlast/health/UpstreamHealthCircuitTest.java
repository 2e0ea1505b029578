package dev.outlast.health;

import static dev.outlast.health.Replies.ok;
import static dev.outlast.health.Replies.timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.outlast.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpstreamHealthCircuitTest {

    private static final Duration NANO = Duration.ofNanos(1);

    private final FakeTicker ticker = new FakeTicker();
    private final UpstreamHealth health = Replies.verified(ticker);

    @Test
    void takesNoTrafficUntilItsChainIdIsVerified() {
        UpstreamHealth fresh = new UpstreamHealth("a", ticker, null);
        fresh.record(ok());

        assertThat(fresh.isUsable()).isFalse();
        assertThat(fresh.tryAdmit()).isFalse();
        assertThat(fresh.state()).isEqualTo(HealthState.DOWN);
        assertThat(fresh.snapshot().reason()).contains("chain id not verified");

        fresh.chainIdChecked(null);

        assertThat(fresh.isUsable()).isTrue();
        assertThat(fresh.state()).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void threeConsecutiveFailuresOpenTheCircuit() {
        health.record(timeout());
        health.record(timeout());
        assertThat(health.isUsable()).isTrue();

        health.record(timeout());

        assertThat(health.isUsable()).isFalse();
        assertThat(health.tryAdmit()).isFalse();
        assertThat(health.state()).isEqualTo(HealthState.DOWN);
        assertThat(health.snapshot().reason()).contains("timed out").contains("no answer within 2000 ms");
    }

    @Test
    void aSuccessBetweenFailuresResetsTheCount() {
        health.record(timeout());
        health.record(timeout());
        health.record(ok());
        health.record(timeout());
        health.record(timeout());

        assertThat(health.isUsable()).isTrue();
    }

    @Test
    void afterTheBackoffAdmitsOneRequestAtATime() {
        openCircuit();
        ticker.advance(Duration.ofSeconds(1).minus(NANO));
        assertThat(health.tryAdmit()).isFalse();

        ticker.advance(NANO);

        assertThat(health.tryAdmit()).isTrue();
        assertThat(health.tryAdmit()).isFalse();
        assertThat(health.isUsable()).isFalse();
        health.record(ok());
        assertThat(health.tryAdmit()).isTrue();
        assertThat(health.tryAdmit()).isFalse();
    }

    @Test
    void halfOpenReservationEndsWithARateLimitedReply() {
        openCircuit();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(health.tryAdmit()).isTrue();

        health.record(Replies.tooManyRequests(Duration.ofSeconds(2)));
        ticker.advance(Duration.ofSeconds(2));

        assertThat(health.tryAdmit()).as("the next request is admitted").isTrue();
    }

    @Test
    void halfOpenReservationEndsWithANodeErrorReply() {
        openCircuit();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(health.tryAdmit()).isTrue();

        health.record(Replies.headerNotFound());

        assertThat(health.tryAdmit()).as("the next request is admitted").isTrue();
        assertThat(health.tryAdmit()).isFalse();
    }

    @Test
    void threeSuccessesWhileHalfOpenCloseTheCircuit() {
        openCircuit();
        ticker.advance(Duration.ofSeconds(1));

        health.record(ok());
        health.record(ok());
        assertThat(health.tryAdmit()).isTrue();
        assertThat(health.tryAdmit()).isFalse();
        health.record(ok());

        assertThat(health.tryAdmit()).isTrue();
        assertThat(health.tryAdmit()).isTrue();
        assertThat(health.state()).isNotEqualTo(HealthState.DOWN);
    }

    @Test
    void aFailureWhileHalfOpenReopensWithADoubledBackoff() {
        openCircuit();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(health.tryAdmit()).isTrue();

        health.record(timeout());

        assertThat(health.state()).isEqualTo(HealthState.DOWN);
        ticker.advance(Duration.ofSeconds(2).minus(NANO));
        assertThat(health.tryAdmit()).isFalse();
        ticker.advance(NANO);
        assertThat(health.tryAdmit()).isTrue();

        health.record(timeout());

        ticker.advance(Duration.ofSeconds(4).minus(NANO));
        assertThat(health.tryAdmit()).isFalse();
        ticker.advance(NANO);
        assertThat(health.tryAdmit()).isTrue();
    }

    @Test
    void backoffStopsDoublingAtThirtySeconds() {
        openCircuit();
        Duration backoff = Duration.ofSeconds(1);
        for (int i = 0; i < 8; i++) {
            ticker.advance(backoff);
            health.record(timeout());
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                      ? Duration.ofSeconds(30) : backoff.multipliedBy(2);
        }

        ticker.advance(Duration.ofSeconds(30).minus(NANO));
        assertThat(health.isUsable()).isFalse();
        ticker.advance(NANO);
        assertThat(health.isUsable()).isTrue();
    }

    @Test
    void closingResetsTheBackoff() {
        openCircuit();
        ticker.advance(Duration.ofSeconds(1));
        health.record(timeout());
        ticker.advance(Duration.ofSeconds(2));
        closeFromHalfOpen();

        openCircuit();

        ticker.advance(Duration.ofSeconds(1));
        assertThat(health.tryAdmit()).isTrue();
    }

    @Test
    void trafficShareRampsUpOverTenSecondsAfterClosing() {
        assertThat(health.slowStartShare()).isEqualTo(1.0);
        openCircuit();
        ticker.advance(Duration.ofSeconds(1));
        closeFromHalfOpen();
        for (int i = 0; i < 20; i++) {
            health.record(ok());
        }

        assertThat(health.slowStartShare()).isLessThanOrEqualTo(0.05).isPositive();
        assertThat(health.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(health.snapshot().reason()).contains("traffic ramping up");

        ticker.advance(Duration.ofSeconds(5));
        assertThat(health.slowStartShare()).isCloseTo(0.5, offset(1e-9));
        assertThat(health.state()).isEqualTo(HealthState.DEGRADED);

        ticker.advance(Duration.ofSeconds(5));
        assertThat(health.slowStartShare()).isEqualTo(1.0);
        assertThat(health.state()).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void circuitTimingSurvivesTheTickerWrappingAround() {
        FakeTicker wrapping = new FakeTicker(Long.MAX_VALUE - Duration.ofMillis(500).toNanos());
        UpstreamHealth h = Replies.verified(wrapping);
        for (int i = 0; i < 3; i++) {
            h.record(timeout());
        }

        wrapping.advance(Duration.ofMillis(999));
        assertThat(h.isUsable()).isFalse();
        wrapping.advance(Duration.ofMillis(1));
        assertThat(h.tryAdmit()).isTrue();
    }

    private void openCircuit() {
        for (int i = 0; i < 3; i++) {
            health.record(timeout());
        }
        assertThat(health.isUsable()).isFalse();
    }

    private void closeFromHalfOpen() {
        for (int i = 0; i < 3; i++) {
            health.record(ok());
        }
        assertThat(health.slowStartShare()).isLessThan(1.0);
    }
}
