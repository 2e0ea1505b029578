package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.health.HealthState;
import dev.outlast.health.UpstreamHealth;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.FakeUpstream.Mode;
import dev.outlast.testing.TestGateway;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Consensus reads, without the cache (which would answer repeated reads without asking anyone). */
class ConsensusTest {

    private static final String BALANCE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBalance\","
            + "\"params\":[\"0x00000000000000000000000000000000000000aa\",\"latest\"]}";
    private static final String TRUE_BALANCE = "0xde0b6b3a7640000";

    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest(), FakeUpstream.honest());
    private TestGateway gateway;
    /** For the reads that wait on a lagging node: the chain's clock is the test's. */
    private FakeClockChain clock;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        if (clock != null) {
            clock.close();
        }
        fakes.forEach(FakeUpstream::close);
    }

    private Map<String, URI> upstreams(int n) {
        Map<String, URI> map = new LinkedHashMap<>();
        String[] names = {"alpha", "beta", "gamma"};
        for (int i = 0; i < n; i++) {
            map.put(names[i], fakes.get(i).uri());
        }
        return map;
    }

    @Test
    void refusesZeroBalanceThatOnlyOneProviderReports() {
        gateway = TestGateway.start(TestGateway.chain(upstreams(3)), 3, CacheConfig.OFF);
        fakes.get(0).mode(new Mode.LiesZero());
        for (int i = 0; i < 30; i++) {
            AggregatedHttpResponse res = gateway.post(BALANCE);
            assertThat(TestGateway.json(res).path("result").asText()).as(res.contentUtf8()).isEqualTo(TRUE_BALANCE);
            assertThat(res.headers().get("x-outlast-upstream")).doesNotContain("alpha");
            assertThat(res.headers().get("x-outlast-consensus")).matches("2/[23]");
        }
        // Selection is weighted at random, so keep asking until the liar has been asked once.
        UpstreamHealth alpha = health("alpha");
        await().untilAsserted(() -> {
            assertThat(TestGateway.json(gateway.post(BALANCE)).path("result").asText()).isEqualTo(TRUE_BALANCE);
            assertThat(alpha.state()).isEqualTo(HealthState.QUARANTINED);
        });
        assertThat(alpha.snapshot().reason()).contains("eth_getBalance answer differed");
    }

    @Test
    void quarantinedLiarGetsNoTrafficAtAll() {
        gateway = TestGateway.start(TestGateway.chain(upstreams(3)), 3, CacheConfig.OFF);
        fakes.get(0).mode(new Mode.LiesZero());
        await().untilAsserted(() -> {
            gateway.post(BALANCE);
            assertThat(health("alpha").state()).isEqualTo(HealthState.QUARANTINED);
        });
        int before = fakes.get(0).calls("net_version");
        for (int i = 0; i < 10; i++) {
            gateway.call("net_version", "[]");
        }
        assertThat(fakes.get(0).calls("net_version")).isEqualTo(before);
    }

    @Test
    void twoUpstreamsDisagreeingGiveNoQuorumNotAGuess() {
        gateway = TestGateway.start(TestGateway.chain(upstreams(2)), 2, CacheConfig.OFF);
        fakes.get(1).mode(new Mode.LiesZero());
        JsonNode body = TestGateway.json(gateway.post(BALANCE));
        assertThat(body.has("result")).isFalse();
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32052);
        assertThat(body.path("error").path("data").path("reason").asText()).isEqualTo("no_quorum");
        assertThat(body.path("error").path("data").path("upstreams").toString())
                .contains(TRUE_BALANCE).contains("\"0x0\"");
    }

    @Test
    void singleUsableUpstreamRefusesBalanceByDefault() {
        gateway = TestGateway.start(TestGateway.chain(upstreams(2)), 2, CacheConfig.OFF);
        fakes.get(1).mode(new Mode.Cloudflare(521));
        await().untilAsserted(() -> assertThat(health("beta").isUsable()).isFalse());
        JsonNode body = TestGateway.json(gateway.post(BALANCE));
        assertThat(body.path("error").path("data").path("reason").asText()).isEqualTo("no_quorum");
        assertThat(body.path("error").path("data").path("upstreams").toString()).contains("cloudflare 521");
        // Reads that do not move money still flow.
        assertThat(gateway.call("net_version", "[]").path("result").asText()).isEqualTo("1337");
    }

    @Test
    void singleUsableUpstreamServesWhenConfiguredTo() {
        gateway = TestGateway.start(TestGateway.chain(upstreams(2), c -> new ChainConfig(c.id(), c.chainId(),
                c.upstreams(), c.requestTimeout(), c.headPollInterval(), c.chainIdCheckInterval(), c.maxLagBlocks(),
                new ConsensusConfig(ConsensusConfig.DEFAULT_METHODS, 2, ConsensusConfig.SingleUpstreamPolicy.SERVE),
                c.hedging(), c.deniedMethods())), 2, CacheConfig.OFF);
        fakes.get(1).mode(new Mode.Cloudflare(521));
        await().untilAsserted(() -> assertThat(health("beta").isUsable()).isFalse());
        AggregatedHttpResponse res = gateway.post(BALANCE);
        assertThat(TestGateway.json(res).path("result").asText()).isEqualTo(TRUE_BALANCE);
        assertThat(res.headers().get("x-outlast-consensus")).startsWith("1/");
    }

    @Test
    void failedMemberIsReplacedByAnotherUpstream() {
        gateway = TestGateway.start(TestGateway.chain(upstreams(3)), 3, CacheConfig.OFF);
        fakes.get(0).mode(new Mode.ErrorRate(1.0));
        for (int i = 0; i < 10; i++) {
            AggregatedHttpResponse res = gateway.post(BALANCE);
            assertThat(TestGateway.json(res).path("result").asText()).isEqualTo(TRUE_BALANCE);
            assertThat(res.headers().get("x-outlast-upstream")).isIn("beta,gamma", "gamma,beta");
        }
        assertThat(health("alpha").state()).isNotEqualTo(HealthState.QUARANTINED);
    }

    @Test
    void pendingAnswersThatDifferAreAskedAgainBeforeAFailedUpstreamIsRetried() throws Exception {
        // Regression for a drill failure (partition): a pending nonce read whose two answers differed
        // retried a resetting upstream ten times (900 ms) before asking the voters again, by which time
        // one of them was failing too.
        gateway = TestGateway.start(TestGateway.chain(upstreams(3)), 3, CacheConfig.OFF);
        await().untilAsserted(() -> assertThat(gateway.chain().upstreams())
                .allSatisfy(u -> assertThat(u.health().isUsable()).isTrue()));
        fakes.get(1).mode(new Mode.LiesZero());
        fakes.get(0).mode(new Mode.ErrorRate(1.0));
        Thread settle = Thread.ofVirtual().start(() -> {
            // beta's pending state catches up right after its first answer
            while (fakes.get(1).calls("eth_getBalance") == 0) {
                Thread.onSpinWait();
            }
            fakes.get(1).mode(FakeUpstream.HONEST);
        });
        String pending = BALANCE.replace("latest", "pending");

        AggregatedHttpResponse res = gateway.post(pending);

        settle.join();
        assertThat(TestGateway.json(res).path("result").asText()).as(res.contentUtf8()).isEqualTo(TRUE_BALANCE);
        assertThat(fakes.get(0).calls("eth_getBalance")).as("alpha asked once, not retried").isLessThanOrEqualTo(1);
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
        clock = FakeClockChain.start(TestGateway.chain(upstreams(3)), 3);
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
        clock = FakeClockChain.start(TestGateway.chain(upstreams(3),
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
        clock = FakeClockChain.start(TestGateway.chain(upstreams(3)), 3);
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
        return (clock != null ? clock.chain() : gateway.chain()).upstreams().stream()
                .filter(u -> u.name().equals(name)).findFirst().orElseThrow().health();
    }
}
