package dev.outlast.health;

import static dev.outlast.health.Replies.headerNotFound;
import static dev.outlast.health.Replies.ok;
import static dev.outlast.health.Replies.tooManyRequests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.FakeTicker;
import dev.outlast.transport.FailureKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rate limits, quarantine, wrong chain id, lag and node errors: what excludes an upstream, and for how long. */
class UpstreamHealthExclusionTest {

    private static final Duration NANO = Duration.ofNanos(1);

    private final FakeTicker ticker = new FakeTicker();
    private final UpstreamHealth health = Replies.verified(ticker);

    @Test
    void rateLimitWithRetryAfterExcludesExactlyUntilThen() {
        health.record(tooManyRequests(Duration.ofSeconds(5)));

        assertThat(health.isUsable()).isFalse();
        assertThat(health.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(health.snapshot().reason()).contains("rate limited");
        ticker.advance(Duration.ofSeconds(5).minus(NANO));
        assertThat(health.tryAdmit()).isFalse();
        ticker.advance(NANO);
        assertThat(health.tryAdmit()).isTrue();
    }

    @Test
    void rateLimitWithoutRetryAfterExcludesForOneSecond() {
        health.record(tooManyRequests(null));

        ticker.advance(Duration.ofSeconds(1).minus(NANO));
        assertThat(health.isUsable()).isFalse();
        ticker.advance(NANO);
        assertThat(health.isUsable()).isTrue();
    }

    @Test
    void rateLimitsNeverOpenTheCircuit() {
        for (int i = 0; i < 5; i++) {
            health.record(tooManyRequests(Duration.ofMillis(10)));
        }

        ticker.advance(Duration.ofMillis(10));
        assertThat(health.isUsable()).isTrue();
    }

    @Test
    void nodeErrorsRaiseTheErrorRateButDoNotOpenTheCircuit() {
        for (int i = 0; i < 12; i++) {
            health.record(headerNotFound());
        }

        HealthSnapshot snapshot = health.snapshot();
        assertThat(snapshot.errorRate()).isGreaterThan(EndpointHealth.OPEN_ERROR_RATE);
        assertThat(snapshot.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(snapshot.reason()).contains("header not found");
        assertThat(snapshot.lastFailure()).isEqualTo(FailureKind.NODE_ERROR);
        assertThat(health.tryAdmit()).isTrue();
    }

    @Test
    void quarantineExcludesForThirtySeconds() {
        health.quarantine("balance 0x0 disagrees with 2 others");

        assertThat(health.isUsable()).isFalse();
        assertThat(health.isHonestAndVerified()).isFalse();
        HealthSnapshot snapshot = health.snapshot();
        assertThat(snapshot.state()).isEqualTo(HealthState.QUARANTINED);
        assertThat(snapshot.reason()).contains("balance 0x0 disagrees with 2 others");
        assertThat(snapshot.quarantinedFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(snapshot.lastFailure()).isEqualTo(FailureKind.WRONG_ANSWER);

        ticker.advance(Duration.ofSeconds(30).minus(NANO));
        assertThat(health.isUsable()).isFalse();
        ticker.advance(NANO);
        assertThat(health.isUsable()).isTrue();
        assertThat(health.state()).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void quarantineRightAfterReleaseDoublesToSixtySeconds() {
        health.quarantine("first lie");
        ticker.advance(Duration.ofSeconds(30));

        health.quarantine("second lie");

        assertThat(health.snapshot().quarantinedFor()).isEqualTo(Duration.ofSeconds(60));
        assertThat(health.snapshot().reason()).contains("second lie");
    }

    @Test
    void quarantineWhileQuarantinedKeepsTheReleaseTimeAndTakesTheNewReason() {
        health.quarantine("first lie");
        ticker.advance(Duration.ofSeconds(10));

        health.quarantine("second lie");

        assertThat(health.snapshot().quarantinedFor()).isEqualTo(Duration.ofSeconds(20));
        assertThat(health.snapshot().reason()).contains("second lie");
    }

    @Test
    void quarantineLevelIsForgivenAfterTenCleanMinutes() {
        health.quarantine("first lie");
        ticker.advance(Duration.ofSeconds(30));
        health.quarantine("second lie");
        ticker.advance(Duration.ofSeconds(60));

        ticker.advance(Duration.ofMinutes(10).plusSeconds(1));
        health.quarantine("third lie, much later");

        assertThat(health.snapshot().quarantinedFor()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void wrongChainIdIsMisconfiguredUntilACheckPasses() {
        health.chainIdChecked("eth_chainId returned \"0x5\", expected 0x1 (1)");

        assertThat(health.isUsable()).isFalse();
        assertThat(health.isHonestAndVerified()).isFalse();
        HealthSnapshot snapshot = health.snapshot();
        assertThat(snapshot.state()).isEqualTo(HealthState.MISCONFIGURED);
        assertThat(snapshot.reason()).isEqualTo("eth_chainId returned \"0x5\", expected 0x1 (1)");
        assertThat(snapshot.lastFailure()).isEqualTo(FailureKind.WRONG_CHAIN);

        health.chainIdChecked(null);

        assertThat(health.isUsable()).isTrue();
        assertThat(health.state()).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void wrongChainIdBeforeVerificationIsMisconfiguredNotMerelyDown() {
        UpstreamHealth fresh = new UpstreamHealth("a", ticker, null);

        fresh.chainIdChecked("eth_chainId returned \"0x89\", expected 0x1 (1)");

        assertThat(fresh.state()).isEqualTo(HealthState.MISCONFIGURED);
    }

    @Test
    void laggingHeadIsShownAsLaggingWithTheLag() {
        health.headReported(100);
        health.lag(0, false);
        health.headReported(88);
        health.lag(12, true);

        HealthSnapshot snapshot = health.snapshot();
        assertThat(snapshot.state()).isEqualTo(HealthState.LAGGING);
        assertThat(snapshot.reason()).isEqualTo("12 blocks behind the head");
        assertThat(snapshot.lag()).isEqualTo(12);
        assertThat(health.head()).as("what it reports now").isEqualTo(88);
        assertThat(snapshot.head()).isEqualTo(88);
        assertThat(health.highestHead()).as("it has had block 100").isEqualTo(100);

        health.headReported(101);
        health.lag(0, false);
        health.record(ok());

        assertThat(health.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(health.head()).isEqualTo(101);
        assertThat(health.highestHead()).isEqualTo(101);
    }
}
