package dev.outlast.routing;

import dev.outlast.health.HealthState;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.FakeUpstream.Mode;
import dev.outlast.testing.TestGateway;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream taken out by its failures comes back through the chain's probes alone, with no user
 * traffic. The chain's clock is the test's ({@link FakeClockChain}): the head polls that probe it and
 * its circuit's backoff move with it.
 */
class UpstreamRecoveryTest {

    private final FakeUpstream alpha = FakeUpstream.honest();
    private final FakeUpstream beta = FakeUpstream.honest();

    @AfterEach
    void close() {
        alpha.close();
        beta.close();
    }

    @Test
    void recoveredUpstreamComesBackAfterProbes() {
        Map<String, URI> upstreams = new LinkedHashMap<>();
        upstreams.put("alpha", alpha.uri());
        upstreams.put("beta", beta.uri());
        try (FakeClockChain clock = FakeClockChain.start(TestGateway.chain(upstreams), 2)) {
            alpha.mode(new Mode.Cloudflare(520));
            clock.advanceUntil(() -> clock.health("alpha").state() == HealthState.DOWN);
            alpha.mode(FakeUpstream.HONEST);
            clock.advanceUntil(() -> clock.health("alpha").isUsable());
        }
    }
}
