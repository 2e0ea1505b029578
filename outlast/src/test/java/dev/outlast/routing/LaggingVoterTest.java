package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.health.UpstreamHealth;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.FakeUpstream.Mode;
import dev.outlast.testing.TestGateway;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consensus reads that wait on a node behind the head (alpha failing, beta frozen 8 blocks back,
 * gamma current), on the chain alone: its clock is the test's ({@link FakeClockChain}), so the waits
 * for a lagging node and the head polls out of turn happen when the test moves it.
 */
class LaggingVoterTest {

    private static final String TRUE_BALANCE = "0xde0b6b3a7640000";
    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest(), FakeUpstream.honest());
    private FakeClockChain clock;

    @AfterEach
    void close() {
        if (clock != null) {
            clock.close();
        }
        fakes.forEach(FakeUpstream::close);
    }

    private Map<String, URI> upstreams() {
        return TestGateway.named(fakes);
    }

    /**
     * Sends the pending balance read to the fake-clock chain: pending state served by consensus
     * (a pending nonce has its own rule, see {@link PendingNonceTest}).
     */
    private java.util.concurrent.CompletableFuture<RpcOutcome> pendingBalance() {
        return clock.send("eth_getBalance", "[\"0x00000000000000000000000000000000000000aa\",\"pending\"]");
    }
    /** alpha fails every call, beta's head and state stop 8 blocks back (more than the 5 a node may lag). */
    private void alphaDeadAndBetaFrozen() {
        clock = FakeClockChain.start(TestGateway.chain(upstreams()), 3);
        fakes.get(1).mode(new Mode.Frozen(8));
        fakes.forEach(f -> f.setHead(108));
        clock.advanceUntil(() -> clock.chain().servedHead() == 108);
        fakes.get(0).mode(new Mode.ErrorRate(1.0));
        assertThat(health("beta").head()).isEqualTo(100);
    }

    @Test
    void pendingStateFromANodeFarBehindIsNoVoteAndTheNodeIsAskedAgainOnceItCatchesUp() {
        // Regression for a drill failure (partition, behind-and-flaky): beta, frozen 8 blocks back,
        // answered a pending nonce of 0x0 against gamma's 0x6; the read asked both again three times
        // while beta was still frozen, and ended in no_quorum although beta caught up moments later.
        alphaDeadAndBetaFrozen();

        java.util.concurrent.CompletableFuture<RpcOutcome> read = pendingBalance();
        // beta catches up 400 ms after its first answer: after three re-asks 100 ms apart
        // would have been spent on it, well within the wait for a lagging node
        await().until(() -> fakes.get(1).calls("eth_getBalance") > 0);
        clock.advanceBy(java.time.Duration.ofMillis(400));
        fakes.get(1).mode(FakeUpstream.HONEST);
        RpcOutcome res = clock.answerAdvancing(read);

        assertThat(FakeClockChain.json(res).path("result").asText()).as(res.toString()).isEqualTo(TRUE_BALANCE);
        assertThat(String.join(",", res.upstreams())).as(res.toString()).contains("beta").contains("gamma");
        assertThat(fakes.get(1).calls("eth_getBalance")).as("once frozen, once caught up").isEqualTo(2);
    }

    @Test
    void aNodeWhoseLagEndedSinceItsLastHeadPollIsPolledAgainAndCounted() {
        // Regression for a drill failure (partition, resets): beta's lag ended right after a head
        // poll, alpha reset every connection, and the quorum read waited a second for beta's next
        // poll with gamma's vote alone. With polls 30 s apart, only a poll out of turn finds beta
        // caught up within the read.
        alphaDeadAndBetaFrozenWithPolls30sApart();
        fakes.get(1).mode(FakeUpstream.HONEST);
        int polls = fakes.get(1).calls("eth_blockNumber");

        RpcOutcome res = clock.answerAdvancing(pendingBalance());

        assertThat(FakeClockChain.json(res).path("result").asText()).as(res.toString()).isEqualTo(TRUE_BALANCE);
        assertThat(String.join(",", res.upstreams())).as(res.toString()).contains("beta").contains("gamma");
        assertThat(fakes.get(1).calls("eth_blockNumber")).as("beta's head polled out of turn").isGreaterThan(polls);
        assertThat(health("beta").head()).isEqualTo(108);
    }

    @Test
    void aNodeStuckBehindIsPolledOutOfTurnAtMostFiveTimesASecondWhileARequestWaitsForIt() {
        alphaDeadAndBetaFrozenWithPolls30sApart();
        int polls = fakes.get(1).calls("eth_blockNumber");

        long start = clock.nanos();
        RpcOutcome res = clock.answerAdvancing(pendingBalance());
        long waitedMillis = (clock.nanos() - start) / 1_000_000;

        assertThat(FakeClockChain.json(res).path("error").path("data").path("reason").asText()).as(res.toString())
                .isEqualTo("no_quorum");
        int outOfTurn = fakes.get(1).calls("eth_blockNumber") - polls;
        assertThat(outOfTurn).as("polled while the read waited %d ms", waitedMillis)
                .isBetween(2, (int) (waitedMillis / 200) + 1);
    }

    /** As {@link #alphaDeadAndBetaFrozen}, with heads polled only every 30 s (once, at start, within a test). */
    private void alphaDeadAndBetaFrozenWithPolls30sApart() {
        fakes.get(1).mode(new Mode.Frozen(8));
        fakes.forEach(f -> f.setHead(108));
        clock = FakeClockChain.start(TestGateway.chain(upstreams(),
                c -> c.withHeadPollInterval(java.time.Duration.ofSeconds(30))), 2);
        await().until(() -> clock.chain().servedHead() == 108 && health("beta").head() == 100);
        fakes.get(0).mode(new Mode.ErrorRate(1.0));
    }

    @Test
    void aNodeStuckFarBehindGivesNoQuorumNotItsStaleBalance() {
        alphaDeadAndBetaFrozen();

        RpcOutcome res = clock.answerAdvancing(pendingBalance());

        JsonNode error = FakeClockChain.json(res).path("error");
        assertThat(error.path("data").path("reason").asText()).as(res.toString()).isEqualTo("no_quorum");
        assertThat(error.path("data").path("upstreams").toString()).as(res.toString())
                .contains("\"name\":\"beta\"").contains("too far behind the head to count as a vote");
        assertThat(fakes.get(1).calls("eth_getBalance")).as("a stuck node is not asked again").isEqualTo(1);
    }

    @Test
    void aNodeThatFallsBehindAfterBeingAtTheHeadIsNoVoteEither() {
        // Regression for the same drill phase: beta had been at the head, then reported a head 8
        // blocks back at once. Judged by the highest head it ever reported it looked current, and
        // its stale pending nonce (0x0) was counted against gamma's 0x5.
        clock = FakeClockChain.start(TestGateway.chain(upstreams()), 3);
        fakes.forEach(f -> f.setHead(108));
        clock.advanceUntil(() -> clock.chain().servedHead() == 108
                && clock.chain().upstreams().stream().allMatch(u -> u.health().head() == 108));
        int polls = fakes.get(1).calls("eth_blockNumber");
        fakes.get(1).mode(new Mode.Frozen(8));
        clock.advanceUntil(() -> fakes.get(1).calls("eth_blockNumber") >= polls + 2);
        fakes.get(0).mode(new Mode.ErrorRate(1.0));

        RpcOutcome res = clock.answerAdvancing(pendingBalance());

        JsonNode error = FakeClockChain.json(res).path("error");
        assertThat(error.path("data").path("reason").asText()).as(res.toString()).isEqualTo("no_quorum");
        assertThat(error.path("data").path("upstreams").toString()).as(res.toString())
                .contains("\"name\":\"beta\"").contains("too far behind the head to count as a vote");
        assertThat(health("beta").head()).as("the head beta reports now").isEqualTo(100);
        assertThat(health("beta").state()).as("8 blocks behind").isEqualTo(dev.outlast.health.HealthState.LAGGING);
    }

    private UpstreamHealth health(String name) {
        return clock.health(name);
    }
}
