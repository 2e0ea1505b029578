package dev.outlast.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.attribution.Vendor;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.testing.MutableClock;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MonitorStateMachineTest {

    private final MutableClock clock = new MutableClock();
    private final List<Transition> transitions = new CopyOnWriteArrayList<>();
    private final Monitor monitor = new Monitor(MonitoringConfig.DEFAULT, clock, transitions::add);
    private final Subject alpha = Subject.chainUpstream("devnet", "alpha");

    private void fail(int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
            monitor.observe(alpha, Observation.of(UpstreamReply.failure("alpha", FailureKind.VENDOR_PAGE,
                    "cloudflare 522 at FRA", 5_000_000)));
        }
    }

    private void succeed(int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
            monitor.observe(alpha, Observation.success(12));
        }
    }

    @Test
    void staysOkUntilTheThirdConsecutiveFailure() {
        succeed(50);
        fail(2);
        succeed(1);
        fail(2);
        assertThat(transitions).isEmpty();
        assertThat(monitor.view(alpha.id()).orElseThrow().health()).isEqualTo(Health.OK);

        fail(1);
        assertThat(transitions).hasSize(1);
        Transition t = transitions.get(0);
        assertThat(t.from()).isEqualTo(Health.OK);
        assertThat(t.to()).isEqualTo(Health.DOWN);
        assertThat(t.vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(t.locations()).containsExactly("FRA");
        assertThat(t.reason()).isEqualTo("3 consecutive failures, last: cloudflare 522 at FRA");
    }

    @Test
    void resolvesOnlyAfterFiveConsecutiveSuccesses() {
        succeed(100);
        fail(3);
        succeed(4);
        fail(1);
        succeed(4);
        assertThat(transitions).hasSize(1);
        succeed(1);
        assertThat(transitions).hasSize(2);
        assertThat(transitions.get(1).from()).isEqualTo(Health.DOWN);
        assertThat(transitions.get(1).to()).isEqualTo(Health.OK);
    }

    @Test
    void scatteredErrorsAboveTheBurnRateInBothWindowsDegrade() {
        // 1 in 4 calls fails: 25% error ratio, burn rate 25 against a 99% objective (threshold 14.4).
        for (int i = 0; i < 40; i++) {
            if (i % 4 == 3) {
                fail(1);
            } else {
                succeed(1);
            }
        }
        assertThat(transitions).extracting(Transition::to).containsExactly(Health.DEGRADED);
        assertThat(transitions.get(0).reason()).startsWith("error ratio 2").contains("over 5 min").contains("over 1 h");

        // Errors stop: the short window empties after 5 minutes, then successes resolve it.
        clock.advance(Duration.ofMinutes(6));
        succeed(5);
        assertThat(transitions).extracting(Transition::to).containsExactly(Health.DEGRADED, Health.OK);
    }

    @Test
    void errorsBelowTheBurnRateDoNotDegrade() {
        // 1 in 10 fails: burn rate 10 < 14.4.
        for (int i = 0; i < 200; i++) {
            if (i % 10 == 9) {
                fail(1);
            } else {
                succeed(1);
            }
        }
        assertThat(transitions).isEmpty();
    }

    @Test
    void aNewEdgeLocationWhileDownIsReportedAsAnUpdate() {
        fail(3);
        clock.advance(Duration.ofSeconds(1));
        monitor.observe(alpha, Observation.of(UpstreamReply.failure("alpha", FailureKind.VENDOR_PAGE,
                "cloudflare 502 at AMS", 1)));
        assertThat(transitions).hasSize(2);
        assertThat(transitions.get(1).isStateChange()).isFalse();
        assertThat(transitions.get(1).locations()).containsExactly("FRA", "AMS");
    }

    @Test
    void keepsPerMinuteCountsUntilDrained() {
        succeed(3);
        fail(2);
        List<Monitor.MinuteSample> samples = monitor.drainSamples();
        assertThat(samples).extracting(s -> s.ok() + s.failed()).containsExactly(5L);
        assertThat(samples.get(0).latencySumMs()).isEqualTo(36);
        assertThat(monitor.drainSamples()).isEmpty();
    }
}
