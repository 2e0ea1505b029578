package dev.outlast.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.testing.MutableClock;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * When a failing subject counts as healthy again (the success streak, not the burn window), faults
 * held from outside the call outcomes (a wrong chain id), and who generated the failures.
 */
class RecoveryAndFaultTest {

    private final MutableClock clock = new MutableClock();
    private final List<Transition> transitions = new CopyOnWriteArrayList<>();
    private final Monitor monitor = new Monitor(MonitoringConfig.DEFAULT, clock, transitions::add);
    private final Subject alpha = Subject.chainUpstream("devnet", "alpha");

    private void observe(UpstreamReply reply, int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
            monitor.observe(alpha, Observation.of(reply));
        }
    }

    private void fail(int n) {
        observe(UpstreamReply.vendorPage("alpha", "cloudflare 522 at FRA", Source.VENDOR, 5_000_000), n);
    }

    private void succeed(int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
            monitor.observe(alpha, Observation.success(12));
        }
    }

    /** {@code n} calls of which every fourth fails: a 25% error ratio, degraded on the burn rate. */
    private void failOneInFour(int n) {
        for (int i = 0; i < n; i++) {
            if (i % 4 == 3) {
                fail(1);
            } else {
                succeed(1);
            }
        }
    }

    private Health health() {
        return monitor.view(alpha.id()).orElseThrow().health();
    }

    @Test
    void aHardOutageResolvesAfterTheSuccessStreakWithoutWaitingForTheBurnWindowToClear() {
        succeed(20);
        fail(40);
        assertThat(health()).isEqualTo(Health.DOWN);
        // 40 failures in the 5-minute short window: it burns far above the threshold for minutes yet.
        succeed(4);
        assertThat(health()).isEqualTo(Health.DOWN);
        succeed(1);
        assertThat(health()).isEqualTo(Health.OK);
        assertThat(transitions).extracting(Transition::to).containsExactly(Health.DOWN, Health.OK);
        // The outage's failures no longer count: more successes do not turn it degraded again.
        succeed(30);
        assertThat(transitions).extracting(Transition::to).containsExactly(Health.DOWN, Health.OK);
    }

    @Test
    void aSubjectStillFailingNowAndThenStaysDegradedThroughItsSuccessStreaks() {
        failOneInFour(40);
        assertThat(health()).isEqualTo(Health.DEGRADED);
        // Then 2 in 7: streaks of 5 successes, but the recent error ratio (~29%) still burns.
        for (int i = 0; i < 70; i++) {
            if (i % 7 < 2) {
                fail(1);
            } else {
                succeed(1);
            }
        }
        // Runs of three failures make it down now and then; it never counts as recovered meanwhile.
        assertThat(transitions).extracting(Transition::to).first().isEqualTo(Health.DEGRADED);
        assertThat(transitions).extracting(Transition::to).doesNotContain(Health.OK);
        assertThat(health()).isNotEqualTo(Health.OK);
        // Once the errors stop, the recent window clears within a minute and the streak resolves it.
        succeed(60);
        assertThat(transitions).extracting(Transition::to).last().isEqualTo(Health.OK);
        assertThat(transitions).extracting(Transition::to).filteredOn(h -> h == Health.OK).hasSize(1);
    }

    @Test
    void aSubjectFlakyBeforeAnOutageReturnsToDegradedNotOk() {
        failOneInFour(40);
        succeed(1);
        fail(20);
        assertThat(health()).isEqualTo(Health.DOWN);
        succeed(5);
        // The outage's 20 failures are gone from the windows; the flaky quarter before it still burns.
        assertThat(health()).isEqualTo(Health.DEGRADED);
        assertThat(transitions).extracting(Transition::to).containsExactly(Health.DEGRADED, Health.DOWN,
                Health.DEGRADED);
    }

    @Test
    void aWrongChainIdHoldsTheSubjectDownWhateverItsCallsSayUntilItIsFixedAndTheStreakResolvesIt() {
        succeed(10);
        String cause = "wrong chain id: expected 0x539 (1337) got 0x5 (5)";
        monitor.fault(alpha, cause);
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(Health.DOWN);
            assertThat(t.reason()).isEqualTo(cause);
        });
        monitor.fault(alpha, cause);
        assertThat(transitions).hasSize(1);
        // It answers every call (for the wrong chain): that resolves nothing.
        succeed(50);
        assertThat(health()).isEqualTo(Health.DOWN);
        assertThat(monitor.view(alpha.id()).orElseThrow().reason()).isEqualTo(cause);

        monitor.clearFault(alpha);
        succeed(4);
        assertThat(health()).isEqualTo(Health.DOWN);
        succeed(1);
        assertThat(health()).isEqualTo(Health.OK);
    }

    @Test
    void carriesWhetherTheEdgeOrTheOriginBehindItGeneratedTheFailures() {
        observe(UpstreamReply.vendorPage("alpha", "cloudflare 500 at AMS (origin error)", Source.ORIGIN, 1), 3);
        Transition opened = transitions.get(0);
        assertThat(opened.vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(opened.source()).isEqualTo(Source.ORIGIN);
        assertThat(opened.attributed()).isTrue();
        assertThat(opened.locations()).containsExactly("AMS");

        fail(1);
        assertThat(transitions).hasSize(2);
        assertThat(transitions.get(1).isStateChange()).isFalse();
        assertThat(transitions.get(1).source()).isEqualTo(Source.VENDOR);
        assertThat(monitor.view(alpha.id()).orElseThrow().source()).isEqualTo(Source.VENDOR);
    }

    @Test
    void aConfiguredVendorNamesTheFailuresUntilAttributionSeesOne() {
        Subject behindFastly = Subject.chainUpstream("devnet", "alpha", "fastly");
        monitor.register(behindFastly);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            monitor.observe(behindFastly, Observation.failure("timeout", "no response", null, null, 3000));
        }
        assertThat(transitions.get(0).vendor()).isEqualTo(Vendor.FASTLY);
        assertThat(transitions.get(0).attributed()).isFalse();
        fail(1);
        assertThat(transitions.get(1).vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(transitions.get(1).attributed()).isTrue();
    }
}
