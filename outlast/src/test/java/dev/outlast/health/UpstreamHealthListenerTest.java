package dev.outlast.health;

import static dev.outlast.health.Replies.ok;
import static dev.outlast.health.Replies.timeout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UpstreamHealthListenerTest {

    private final FakeTicker ticker = new FakeTicker();
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final UpstreamHealth health = new UpstreamHealth("a", ticker,
            (name, from, to, reason) -> changes.add(name + ": " + from.label() + " -> " + to.label()));

    @Test
    void hearsEachStateChangeOnceWithFromAndTo() {
        health.chainIdChecked(null);
        health.record(ok());
        health.record(timeout());
        health.record(timeout());
        health.record(timeout());
        health.record(timeout());

        assertThat(changes).containsExactly(
                "a: down -> healthy",
                "a: healthy -> degraded",
                "a: degraded -> down");
    }

    @Test
    void hearsTheReason() {
        List<String> reasons = new CopyOnWriteArrayList<>();
        UpstreamHealth h = new UpstreamHealth("a", ticker, (name, from, to, reason) -> reasons.add(reason));

        h.chainIdChecked("eth_chainId returned \"0x5\", expected 0x1 (1)");

        assertThat(reasons).containsExactly("eth_chainId returned \"0x5\", expected 0x1 (1)");
    }

    @Test
    void transitionFirstSeenByAStateReadIsStillReported() {
        health.chainIdChecked(null);
        health.quarantine("lied about a balance");
        ticker.advance(Duration.ofSeconds(30));
        assertThat(health.state()).isEqualTo(HealthState.HEALTHY);

        health.record(ok());

        assertThat(changes).containsExactly(
                "a: down -> healthy",
                "a: healthy -> quarantined",
                "a: quarantined -> healthy");
    }
}
