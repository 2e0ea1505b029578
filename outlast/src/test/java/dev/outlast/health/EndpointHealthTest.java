package dev.outlast.health;

import static dev.outlast.health.Replies.ok;
import static dev.outlast.health.Replies.timeout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The health of a site origin: an endpoint without node state. */
class EndpointHealthTest {

    private final FakeTicker ticker = new FakeTicker();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final EndpointHealth origin = new EndpointHealth("first", ticker,
            (name, from, to, reason) -> heard.add(name + ": " + from.label() + " -> " + to.label() + ": " + reason));

    @Test
    void anOriginIsUsableFromTheStartWithoutAnyNodeState() {
        assertThat(origin.current().node()).isNull();
        assertThat(origin.isUsable()).isTrue();
        assertThat(origin.tryAdmit()).isTrue();
        assertThat(origin.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(heard).containsExactly("first: down -> healthy: ok");
    }

    @Test
    void anOriginsSnapshotHasNoHeadLagOrQuarantine() {
        origin.record(ok(40));

        HealthSnapshot snapshot = origin.snapshot();

        assertThat(snapshot.head()).isEqualTo(-1);
        assertThat(snapshot.lag()).isZero();
        assertThat(snapshot.quarantinedFor()).isEqualTo(Duration.ZERO);
        assertThat(snapshot.latencyMs()).isEqualTo(40.0);
        assertThat(snapshot.calls()).isEqualTo(1);
    }

    @Test
    void failingOriginOpensRecoversAndRampsUpWithTheReasonsHeard() {
        for (int i = 0; i < 3; i++) {
            origin.record(timeout());
        }
        assertThat(origin.isUsable()).isFalse();

        ticker.advance(Duration.ofSeconds(1));
        assertThat(origin.tryAdmit()).isTrue();
        assertThat(origin.tryAdmit()).as("one probe at a time").isFalse();
        for (int i = 0; i < 3 + 20; i++) {
            origin.record(ok());
        }
        assertThat(origin.snapshot().reason()).isEqualTo("recovered; traffic ramping up");
        ticker.advance(Duration.ofSeconds(10));
        assertThat(origin.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(heard).as("the end of the ramp is heard with the next write").hasSize(4);

        origin.record(ok());

        assertThat(heard).containsExactly(
                "first: down -> healthy: ok",
                "first: healthy -> degraded: error rate 10%, last: timed out (no answer within 2000 ms)",
                "first: degraded -> down: timed out (no answer within 2000 ms)",
                "first: down -> degraded: error rate 20%, last: timed out (no answer within 2000 ms)",
                "first: degraded -> healthy: ok");
    }

    @Test
    void drainAndRestoreAreHeardWithTheirReason() {
        origin.drain("maintenance window db");

        assertThat(origin.isDrained()).isTrue();
        assertThat(origin.isUsable()).isFalse();
        assertThat(origin.snapshot().reason()).isEqualTo("drained: maintenance window db");

        origin.restore();

        assertThat(origin.isUsable()).isTrue();
        assertThat(heard).containsExactly(
                "first: down -> healthy: ok",
                "first: healthy -> drained: drained: maintenance window db",
                "first: drained -> healthy: ok");
    }
}
