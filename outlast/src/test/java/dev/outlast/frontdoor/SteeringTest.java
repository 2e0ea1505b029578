package dev.outlast.frontdoor;

import static dev.outlast.frontdoor.FrontDoorFixtures.CFR_ORIGIN_503;
import static dev.outlast.frontdoor.FrontDoorFixtures.CF_522;
import static dev.outlast.frontdoor.FrontDoorFixtures.CF_ORIGIN_503;
import static dev.outlast.frontdoor.FrontDoorFixtures.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.config.MaintenanceWindow;
import dev.outlast.monitor.Health;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The steering decision, pure, with the time passed in: when the record moves, when it holds, and why. */
class SteeringTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final ProbeResult REFUSED = ProbeResult.unreachable("connect", "connection refused", 1);
    private static final ProbeResult PLAIN_500 = new ProbeResult(PathVerdict.UNATTRIBUTED, "http_status",
            "HTTP 500, vendor unknown", Vendor.UNKNOWN, Source.UNKNOWN, null, 5);

    private Instant now = T0;

    @Test
    void movesAfterFailAfterProbesFailingByThePathsFaultWhileAnotherPasses() {
        Steering s = steering(FrontDoorConfig.Failback.AUTO, List.of());
        probe(s, "cloudfront", OK);
        probe(s, "cloudflare", CF_522);
        assertThat(s.decide(now).kind()).isEqualTo(Decision.Kind.STAY);
        probe(s, "cloudflare", CF_522);
        assertThat(s.decide(now).kind()).isEqualTo(Decision.Kind.STAY);
        probe(s, "cloudflare", REFUSED);

        Decision d = s.decide(now);
        assertThat(d.kind()).isEqualTo(Decision.Kind.MOVE);
        assertThat(d.target()).isEqualTo("cloudfront");
        assertThat(d.cause()).isEqualTo("path_failed");
        assertThat(d.reason()).isEqualTo("cloudflare failing by its path's fault; moving to cloudfront: cloudflare: "
                + "3 failed probes, last: connection refused (1 ms); cloudfront: passing (HTTP 200 (12 ms))");
        assertThat(s.active()).isEqualTo("cloudfront");
        assertThat(s.lastChange()).isEqualTo(now);
    }

    @Test
    void aPassingProbeRestartsTheCount() {
        Steering s = steering(FrontDoorConfig.Failback.AUTO, List.of());
        probe(s, "cloudfront", OK);
        probe(s, "cloudflare", CF_522);
        probe(s, "cloudflare", CF_522);
        probe(s, "cloudflare", OK);
        probe(s, "cloudflare", CF_522);
        probe(s, "cloudflare", CF_522);
        assertThat(s.decide(now).kind()).isEqualTo(Decision.Kind.STAY);
        assertThat(s.active()).isEqualTo("cloudflare");
    }

    @Test
    void doesNotMoveWhenTheOriginFailsBehindEveryCdn() {
        Steering s = steering(FrontDoorConfig.Failback.AUTO, List.of());
        for (int i = 0; i < 5; i++) {
            probe(s, "cloudflare", CF_ORIGIN_503);
            probe(s, "cloudfront", CFR_ORIGIN_503);
        }
        Decision d = s.decide(now);
        assertThat(d.kind()).isEqualTo(Decision.Kind.HOLD);
        assertThat(d.cause()).isEqualTo("origin_failing");
        assertThat(d.severity()).isEqualTo(Health.DOWN);
        assertThat(d.reason()).startsWith("origin failing behind every CDN; steering would not help: cloudflare: "
                + "5 failed probes, last: HTTP 503, origin behind Cloudflare (via FRA)");
        assertThat(s.active()).isEqualTo("cloudflare");
    }

    @Test
    void doesNotMoveWhenTheOtherTargetFailsToo() {
        Steering s = steering(FrontDoorConfig.Failback.AUTO, List.of());
        for (int i = 0; i < 3; i++) {
            probe(s, "cloudflare", CF_522);
            probe(s, "cloudfront", REFUSED);
        }
        Decision d = s.decide(now);
        assertThat(d.kind()).isEqualTo(Decision.Kind.HOLD);
        assertThat(d.cause()).isEqualTo("no_target_passing");
        assertThat(d.reason()).startsWith("cloudflare failing by its path's fault, but no other target passes; "
                + "steering would not help");
        assertThat(s.active()).isEqualTo("cloudflare");
    }

    @Test
    void originErrorsThroughTheActivePathAloneAreNotThePathsFault() {
        Steering s = steering(FrontDoorConfig.Failback.AUTO, List.of());
        probe(s, "cloudfront", OK);
        for (int i = 0; i < 4; i++) {
            probe(s, "cloudflare", i % 2 == 0 ? CF_ORIGIN_503 : PLAIN_500);
        }
        Decision d = s.decide(now);
        assertThat(d.kind()).isEqualTo(Decision.Kind.HOLD);
        assertThat(d.cause()).isEqualTo("not_path");
        assertThat(s.active()).isEqualTo("cloudflare");
    }

    @Test
    void failsBackAutomaticallyOnceThePreferredTargetWasStableForFailbackAfter() {
        Steering s = movedToCloudfront(FrontDoorConfig.Failback.AUTO);
        Instant moved = now;
        advance(Duration.ofSeconds(10));
        probe(s, "cloudflare", OK);
        Instant passing = now;
        advance(Duration.ofSeconds(59));
        assertThat(s.decide(now).kind()).isEqualTo(Decision.Kind.STAY);
        probe(s, "cloudflare", CF_522);
        advance(Duration.ofSeconds(1));
        probe(s, "cloudflare", OK);
        advance(Duration.ofSeconds(59));
        assertThat(s.decide(now).kind()).as("a failure restarts the stable time").isEqualTo(Decision.Kind.STAY);
        advance(Duration.ofSeconds(1));

        Decision d = s.decide(now);
        assertThat(d.kind()).isEqualTo(Decision.Kind.MOVE);
        assertThat(d.target()).isEqualTo("cloudflare");
        assertThat(d.cause()).isEqualTo("failback");
        assertThat(d.reason()).startsWith("cloudflare passing for 60s (failbackAfter 60s): moving back from "
                + "cloudfront; ");
        assertThat(passing).isAfter(moved);
    }

    @Test
    void manualFailbackStaysOnTheTargetMovedTo() {
        Steering s = movedToCloudfront(FrontDoorConfig.Failback.MANUAL);
        for (int i = 0; i < 100; i++) {
            advance(Duration.ofSeconds(10));
            probe(s, "cloudflare", OK);
            probe(s, "cloudfront", OK);
            assertThat(s.decide(now).kind()).isEqualTo(Decision.Kind.STAY);
        }
        assertThat(s.active()).isEqualTo("cloudfront");
    }

    @Test
    void manualFailbackStillMovesOffAFailingTarget() {
        Steering s = movedToCloudfront(FrontDoorConfig.Failback.MANUAL);
        advance(Duration.ofSeconds(40));
        probe(s, "cloudflare", OK);
        for (int i = 0; i < 3; i++) {
            probe(s, "cloudfront", REFUSED);
        }
        Decision d = s.decide(now);
        assertThat(d.kind()).isEqualTo(Decision.Kind.MOVE);
        assertThat(d.target()).isEqualTo("cloudflare");
    }

    @Test
    void flapDampingHoldsAMoveUntilMinChangeIntervalHasPassed() {
        Steering s = movedToCloudfront(FrontDoorConfig.Failback.AUTO);
        advance(Duration.ofSeconds(5));
        probe(s, "cloudflare", OK);
        for (int i = 0; i < 3; i++) {
            probe(s, "cloudfront", CF_522);
        }
        Decision d = s.decide(now);
        assertThat(d.kind()).isEqualTo(Decision.Kind.HOLD);
        assertThat(d.cause()).isEqualTo("damped");
        assertThat(d.reason()).startsWith("cloudfront failing by its path's fault; would move to cloudflare but the "
                + "record changed 5s ago (minChangeInterval 30s)");
        advance(Duration.ofSeconds(25));
        assertThat(s.decide(now).target()).isEqualTo("cloudflare");
        assertThat(s.active()).isEqualTo("cloudflare");
    }

    @Test
    void movesOffAVendorBeforeItsMaintenanceWindowStartsAndBackAfterIt() {
        MaintenanceWindow window = new MaintenanceWindow("cf-fra", null, "cloudflare",
                LocalDateTime.ofInstant(T0.plusSeconds(600), ZoneOffset.UTC),
                LocalDateTime.ofInstant(T0.plusSeconds(1200), ZoneOffset.UTC), Set.of(), null, null, ZoneOffset.UTC,
                Duration.ofMinutes(2));
        Steering s = steering(FrontDoorConfig.Failback.AUTO, List.of(window));
        probe(s, "cloudflare", OK);
        probe(s, "cloudfront", OK);
        advance(Duration.ofSeconds(479));
        assertThat(s.decide(now).kind()).isEqualTo(Decision.Kind.STAY);
        advance(Duration.ofSeconds(1));

        Decision d = s.decide(now);
        assertThat(d.kind()).isEqualTo(Decision.Kind.MOVE);
        assertThat(d.cause()).isEqualTo("maintenance");
        assertThat(d.reason()).startsWith("maintenance window cf-fra for cloudflare starts at 2026-12-07T10:10:00Z: "
                + "moving to cloudfront before it");
        assertThat(s.targets(now).get(0).drainedBy()).isEqualTo("cf-fra");
        advance(Duration.ofSeconds(719));
        probe(s, "cloudflare", OK);
        assertThat(s.decide(now).kind()).as("no failback into the window").isEqualTo(Decision.Kind.STAY);
        advance(Duration.ofSeconds(1));
        assertThat(s.decide(now).kind()).as("the window ended: stable from its end").isEqualTo(Decision.Kind.STAY);
        advance(Duration.ofSeconds(58));
        assertThat(s.decide(now).kind()).isEqualTo(Decision.Kind.STAY);
        advance(Duration.ofSeconds(1));
        assertThat(s.decide(now).target()).isEqualTo("cloudflare");
    }

    @Test
    void aPinHoldsTheRecordWhateverTheProbesSayUntilUnpinned() {
        Steering s = steering(FrontDoorConfig.Failback.AUTO, List.of());
        probe(s, "cloudflare", OK);
        Decision pin = s.pin("cloudfront", "alice", now);
        assertThat(pin.kind()).isEqualTo(Decision.Kind.MOVE);
        assertThat(pin.reason()).startsWith("pinned to cloudfront by alice; ");
        for (int i = 0; i < 3; i++) {
            probe(s, "cloudfront", CF_522);
        }
        advance(Duration.ofMinutes(10));
        Decision held = s.decide(now);
        assertThat(held.kind()).isEqualTo(Decision.Kind.HOLD);
        assertThat(held.cause()).isEqualTo("pinned");
        assertThatThrownBy(() -> s.force("cloudflare", "bob", now)).isInstanceOf(IllegalStateException.class)
                .hasMessage("pinned to cloudfront; unpin first, or pin cloudflare");

        assertThat(s.unpin()).isTrue();
        assertThat(s.decide(now).target()).isEqualTo("cloudflare");
        assertThat(s.pinned()).isNull();
    }

    @Test
    void aForcedMoveIsNotDampedAndFailbackWaitsFromIt() {
        Steering s = steering(FrontDoorConfig.Failback.AUTO, List.of());
        probe(s, "cloudflare", OK);
        probe(s, "cloudfront", OK);
        advance(Duration.ofMinutes(10));
        Decision forced = s.force("cloudfront", "alice", now);
        assertThat(forced.kind()).isEqualTo(Decision.Kind.MOVE);
        assertThat(forced.cause()).isEqualTo("forced");
        advance(Duration.ofSeconds(59));
        assertThat(s.decide(now).kind()).isEqualTo(Decision.Kind.STAY);
        advance(Duration.ofSeconds(1));
        assertThat(s.decide(now).target()).isEqualTo("cloudflare");
        assertThatThrownBy(() -> s.force("akamai", "bob", now)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no target akamai in front door www (targets: cloudflare, cloudfront)");
    }

    @Test
    void nothingMovesBeforeTheProbesHaveSpoken() {
        Steering s = steering(FrontDoorConfig.Failback.AUTO, List.of());
        s.adopt("cloudfront");
        advance(Duration.ofHours(1));
        assertThat(s.decide(now).kind()).isEqualTo(Decision.Kind.STAY);
        assertThat(s.targets(now)).extracting(TargetStatus::state).containsExactly("unknown", "unknown");
        assertThat(s.lastChange()).isNull();
    }

    private Steering movedToCloudfront(FrontDoorConfig.Failback failback) {
        Steering s = steering(failback, List.of());
        probe(s, "cloudfront", OK);
        for (int i = 0; i < 3; i++) {
            probe(s, "cloudflare", CF_522);
        }
        assertThat(s.decide(now).target()).isEqualTo("cloudfront");
        return s;
    }

    private void probe(Steering s, String target, ProbeResult result) {
        s.record(target, result, now);
    }

    private void advance(Duration d) {
        now = now.plus(d);
    }

    private static Steering steering(FrontDoorConfig.Failback failback, List<MaintenanceWindow> windows) {
        return new Steering(FrontDoorFixtures.config(failback, new FrontDoorConfig.Steering(3, Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(2))), windows);
    }
}
