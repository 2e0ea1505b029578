package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.health.UpstreamHealth;
import dev.outlast.routing.retry.RetryPolicy;
import dev.outlast.testing.FakeTicker;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.Upstream;
import dev.outlast.upstream.UpstreamReply;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which one request's candidates are offered, what is held back, and which failures earn a retry. */
class CandidatesTest {

    private static final RetryPolicy POLICY = RetryPolicy.DEFAULT;

    private final FakeTicker ticker = new FakeTicker();

    private ChainUpstream upstream(String name) {
        UpstreamHealth health = new UpstreamHealth(name, ticker, null);
        health.chainIdChecked(null);
        Upstream upstream = new Upstream(name, URI.create("http://127.0.0.1:9/" + name), ClientFactory.ofDefault(),
                ticker);
        return new ChainUpstream(upstream, health);
    }

    private static void fail(ChainUpstream u, Candidates candidates) {
        u.health().record(UpstreamReply.failure(u.name(), FailureKind.VENDOR_PAGE, "cloudflare 522", 1_000_000));
        candidates.failed(u, FailureKind.VENDOR_PAGE);
    }

    private static void succeed(ChainUpstream u) {
        u.health().record(UpstreamReply.result(u.name(), TextNode.valueOf("0x1"), 1_000_000));
    }

    /** A node whose last reported head (92) is 8 blocks behind the chain's. */
    private static void frozenEightBlocksBack(ChainUpstream u) {
        u.health().headReported(92);
        u.health().lag(8, true);
    }

    /** Candidates {@code primary}, in that order, for a request that needs block 100 (5 blocks of lag allowed). */
    private Candidates atBlock100(ChainUpstream... primary) {
        Candidates candidates = new Candidates(new ArrayList<>(List.of(primary)), new ArrayList<>(), List.of(),
                ticker);
        candidates.block(100, 5);
        return candidates;
    }

    private static UpstreamReply headerNotFound(String upstream) {
        com.fasterxml.jackson.databind.JsonNode error = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode().put("code", -32000).put("message", "header not found");
        return new UpstreamReply(upstream, null, error, FailureKind.NODE_ERROR,
                "JSON-RPC error -32000: header not found", null, 1_000_000);
    }

    @Test
    void flakyUpstreamIsRetriedBeforeOneThatJustStartedFailingEveryCall() {
        // The first seconds of an outage: alpha has failed its last 4 calls, but its error rate
        // (0.34) is still below that of beta, which fails one call in two.
        ChainUpstream alpha = upstream("alpha");
        ChainUpstream beta = upstream("beta");
        for (int i = 0; i < 20; i++) {
            beta.health().record(UpstreamReply.failure("beta", FailureKind.HTTP_5XX, "HTTP 503", 1_000_000));
            succeed(beta);
        }
        for (int i = 0; i < 4; i++) {
            alpha.health().record(UpstreamReply.failure("alpha", FailureKind.VENDOR_PAGE, "cloudflare 522", 1_000_000));
        }
        assertThat(alpha.health().errorRate()).isLessThan(beta.health().errorRate());

        Candidates candidates = new Candidates(new ArrayList<>(), new ArrayList<>(List.of(alpha, beta)), List.of(),
                ticker);
        assertThat(candidates.next()).isSameAs(alpha);
        fail(alpha, candidates);
        assertThat(candidates.next()).isSameAs(beta);
        fail(beta, candidates);

        List<String> retries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ticker.advance(java.time.Duration.ofMillis(100));
            ChainUpstream u = candidates.next();
            retries.add(u.name());
            fail(u, candidates);
        }
        assertThat(retries).containsExactly("beta", "beta", "beta");
    }

    @Test
    void anUpstreamOnALongRunOfFailuresLeavesTheRetryBudgetToOthers() {
        // Regression for a wallet scenario failure: alpha, failing every call for a second (its error
        // rate not yet "dead"), took all ten retries of a quorum read within 100 ms; beta's one 503
        // then found no budget left, and the read ended in no_quorum.
        ChainUpstream alpha = upstream("alpha");
        ChainUpstream beta = upstream("beta");
        for (int i = 0; i < POLICY.longRun(); i++) {
            alpha.health().record(UpstreamReply.failure("alpha", FailureKind.VENDOR_PAGE, "cloudflare 522", 1_000_000));
        }
        assertThat(alpha.health().errorRate()).isLessThan(POLICY.deadErrorRate());
        Candidates candidates = new Candidates(new ArrayList<>(), new ArrayList<>(List.of(alpha)), List.of(),
                ticker);
        assertThat(askUntilExhausted(candidates, u -> fail(u, candidates)))
                .hasSize(POLICY.attemptsDuringLongRun());
    }

    /** Asks and fails every candidate until none is left, waiting as a call would; the names asked, in order. */
    private List<String> askUntilExhausted(Candidates candidates, java.util.function.Consumer<ChainUpstream> failure) {
        List<String> asked = new ArrayList<>();
        ChainUpstream u;
        while ((u = candidates.next()) != null || candidates.waitNanos() >= 0) {
            if (u == null) {
                ticker.advance(java.time.Duration.ofNanos(candidates.waitNanos()));
                continue;
            }
            asked.add(u.name());
            failure.accept(u);
        }
        return asked;
    }

    @Test
    void theBestRetryIsWaitedForRatherThanTradedForAWorseOneDueSooner() {
        // Regression for a drill failure (cloudflare-5xx, edge-down: alpha failing every call for a
        // second, beta 30% 502s): retries alternated beta, alpha, beta, ... because alpha, asked once
        // in the request, was due again sooner than beta, whose pauses grew with its attempts; beta
        // had six tries, all failed (0.3^6), and a quorum read needing beta's vote ended short.
        ChainUpstream alpha = upstream("alpha");
        ChainUpstream beta = upstream("beta");
        for (int i = 0; i < 10; i++) {
            alpha.health().record(UpstreamReply.failure("alpha", FailureKind.VENDOR_PAGE, "cloudflare 500", 1_000_000));
        }
        Candidates candidates = new Candidates(new ArrayList<>(List.of(beta)), new ArrayList<>(List.of(alpha)),
                List.of(), ticker);

        List<String> asked = askUntilExhausted(candidates, u -> fail(u, candidates));

        assertThat(asked.subList(0, 2)).containsExactly("beta", "alpha");
        assertThat(asked.subList(2, asked.size())).as("every retry goes to the upstream with the shorter run")
                .hasSize(POLICY.retryBudget()).containsOnly("beta");
    }

    @Test
    void aFlakyUpstreamThatIsTheOnlyOtherVoterKeepsItsRetriesThroughAShortRun() {
        // Regression for a drill failure (partition, behind-and-flaky: alpha answering 40% of calls with
        // truncated or non-JSON bodies, beta frozen 8 blocks back): alpha, on a run of 9 failures
        // under load, was capped at three tries; beta's "header not found" twice; no_quorum.
        ChainUpstream alpha = upstream("alpha");
        ChainUpstream beta = upstream("beta");
        for (int i = 0; i < 100; i++) {
            alpha.health().record(i % 5 < 2
                    ? UpstreamReply.failure("alpha", FailureKind.BAD_RESPONSE, "not JSON", 1_000_000)
                    : UpstreamReply.result("alpha", TextNode.valueOf("0x1"), 1_000_000));
        }
        for (int i = 0; i < 9; i++) {
            alpha.health().record(UpstreamReply.failure("alpha", FailureKind.BAD_RESPONSE, "not JSON", 1_000_000));
        }
        UpstreamReply behind = headerNotFound("beta");
        Candidates candidates = new Candidates(new ArrayList<>(List.of(alpha, beta)), new ArrayList<>(), List.of(),
                ticker);

        List<String> asked = askUntilExhausted(candidates, u -> {
            if (u == beta) {
                u.health().record(behind);
                candidates.failed(u, behind);
            } else {
                u.health().record(UpstreamReply.failure("alpha", FailureKind.BAD_RESPONSE, "not JSON", 1_000_000));
                candidates.failed(u, FailureKind.BAD_RESPONSE);
            }
        });

        assertThat(asked).filteredOn("beta"::equals).as("beta once more, after a pause").hasSize(2);
        assertThat(asked).filteredOn("alpha"::equals).as("alpha, the other voter, gets the rest of the budget")
                .hasSize(1 + POLICY.retryBudget() - 1);
    }

    @Test
    void anUpstreamFailingNearlyEveryCallIsNotRetried() {
        ChainUpstream alpha = upstream("alpha");
        for (int i = 0; i < 40; i++) {
            alpha.health().record(UpstreamReply.failure("alpha", FailureKind.VENDOR_PAGE, "cloudflare 522", 1_000_000));
        }
        assertThat(alpha.health().errorRate()).isGreaterThanOrEqualTo(POLICY.deadErrorRate());
        Candidates candidates = new Candidates(new ArrayList<>(), new ArrayList<>(List.of(alpha)), List.of(), ticker);
        assertThat(candidates.next()).isSameAs(alpha);
        fail(alpha, candidates);
        assertThat(candidates.next()).isNull();
        assertThat(candidates.hasMore()).isFalse();
    }

    @Test
    void aLongRunOfFailuresAloneDoesNotStopRetriesOfAFlakyUpstream() {
        // Under load a 30%-flaky upstream has runs of 8 or more failures now and then.
        ChainUpstream beta = upstream("beta");
        for (int i = 0; i < 100; i++) {
            beta.health().record(i % 3 == 0
                    ? UpstreamReply.failure("beta", FailureKind.HTTP_5XX, "HTTP 503", 1_000_000)
                    : UpstreamReply.result("beta", TextNode.valueOf("0x1"), 1_000_000));
        }
        for (int i = 0; i < 9; i++) {
            beta.health().record(UpstreamReply.failure("beta", FailureKind.HTTP_5XX, "HTTP 503", 1_000_000));
        }
        Candidates candidates = new Candidates(new ArrayList<>(), new ArrayList<>(List.of(beta)), List.of(),
                ticker);
        assertThat(candidates.next()).isSameAs(beta);
        candidates.failed(beta, FailureKind.HTTP_5XX);
        ticker.advance(java.time.Duration.ofMillis(100));
        assertThat(candidates.next()).as("retried").isSameAs(beta);
    }

    @Test
    void flakyUpstreamIsRetriedWithinTheBudgetOnly() {
        ChainUpstream beta = upstream("beta");
        succeed(beta);
        Candidates candidates = new Candidates(new ArrayList<>(List.of()), new ArrayList<>(List.of(beta)), List.of(),
                ticker);
        List<String> asked = askUntilExhausted(candidates, u -> {
            u.health().record(UpstreamReply.failure("beta", FailureKind.HTTP_5XX, "HTTP 503", 1_000_000));
            candidates.failed(u, FailureKind.HTTP_5XX);
            succeed(u); // flaky: its next call would succeed, so it is never dead
        });
        assertThat(asked).hasSize(1 + POLICY.retryBudget());
    }

    @Test
    void afterAResetTheSameUpstreamIsRetriedOnlyAfterAPause() {
        ChainUpstream alpha = upstream("alpha");
        Candidates candidates = new Candidates(new ArrayList<>(List.of()), new ArrayList<>(List.of(alpha)), List.of(),
                ticker);
        assertThat(candidates.next()).isSameAs(alpha);
        alpha.health().record(UpstreamReply.failure("alpha", FailureKind.RESET, "ClosedSessionException", 1_000_000));
        candidates.failed(alpha, FailureKind.RESET);

        assertThat(candidates.next()).as("its pooled connection is probably the one being closed").isNull();
        assertThat(candidates.waitNanos()).isEqualTo(POLICY.retrySpacingNanos());
        ticker.advance(java.time.Duration.ofNanos(POLICY.retrySpacingNanos()));
        assertThat(candidates.next()).isSameAs(alpha);
    }

    @Test
    void aNodeWithoutTheBlockYetIsAskedOnceMoreAfterAPause() {
        // Regression for a drill finding (partition, lag lifted while alpha reset every call): beta's
        // "header not found" ended a quorum read although beta had the block 100 ms later.
        ChainUpstream beta = upstream("beta");
        Candidates candidates = new Candidates(new ArrayList<>(List.of()), new ArrayList<>(List.of(beta)), List.of(),
                ticker);
        UpstreamReply reply = headerNotFound("beta");
        assertThat(candidates.next()).isSameAs(beta);
        beta.health().record(reply);
        candidates.failed(beta, reply);

        assertThat(candidates.next()).isNull();
        assertThat(candidates.waitNanos()).isEqualTo(POLICY.blockRetrySpacingNanos());
        ticker.advance(java.time.Duration.ofNanos(POLICY.blockRetrySpacingNanos()));
        assertThat(candidates.next()).isSameAs(beta);
        candidates.failed(beta, reply);
        ticker.advance(java.time.Duration.ofSeconds(1));
        assertThat(candidates.next()).as("a block nobody has yet is not worth the whole deadline").isNull();
        assertThat(candidates.waitNanos()).isEqualTo(-1);
    }

    @Test
    void aNodeWhoseLagEndsWhileTheRequestRunsIsAskedAgain() {
        // Regression for a drill failure (partition, behind-and-flaky then resets): beta, frozen 8
        // blocks back, said "header not found" twice; its lag ended while alpha's retries ran on, but
        // beta was not asked a third time, and a quorum read that needed its vote ended short.
        ChainUpstream beta = upstream("beta");
        ChainUpstream alpha = upstream("alpha");
        frozenEightBlocksBack(beta);
        Candidates candidates = atBlock100(beta, alpha);
        UpstreamReply behind = headerNotFound("beta");

        assertThat(candidates.next()).isSameAs(beta);
        candidates.failed(beta, behind);
        assertThat(candidates.next()).isSameAs(alpha);
        fail(alpha, candidates);
        ticker.advance(java.time.Duration.ofNanos(POLICY.blockRetrySpacingNanos()));
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ChainUpstream u = candidates.next();
            asked.add(u.name());
            if (u == beta) {
                candidates.failed(beta, behind);
            } else {
                fail(u, candidates);
            }
        }
        assertThat(asked).containsExactlyInAnyOrder("alpha", "beta");
        ticker.advance(java.time.Duration.ofMillis(200));
        assertThat(candidates.next()).as("alpha's retry; beta still reports the old head").isSameAs(alpha);
        fail(alpha, candidates);

        beta.health().headReported(101);
        beta.health().lag(0, false);
        assertThat(candidates.next()).as("beta's head reached the block").isSameAs(beta);
        candidates.failed(beta, behind);
        beta.health().headReported(101);
        beta.health().lag(0, false);
        ticker.advance(java.time.Duration.ofSeconds(1));
        assertThat(candidates.next()).as("not again at the same head").isSameAs(alpha);
    }

    @Test
    void aNodeThatLackedTheBlockIsWaitedForAndAskedOnceItCatchesUpEvenWithTheBudgetSpent() {
        // Regression for a drill failure (partition, behind-and-flaky into resets): beta, frozen 8
        // blocks back, said "header not found" twice; alpha, failing 40% of calls and then every
        // call, took the rest of the retry budget; beta's lag ended a moment later, but the read
        // neither waited for it nor had a retry left to ask it, and ended without a quorum.
        ChainUpstream alpha = upstream("alpha");
        ChainUpstream beta = upstream("beta");
        frozenEightBlocksBack(beta);
        Candidates candidates = atBlock100(alpha, beta);
        List<ChainUpstream> refreshed = new ArrayList<>();
        candidates.refreshHeadsWith(refreshed::add);
        UpstreamReply behind = headerNotFound("beta");

        List<String> asked = new ArrayList<>();
        while (candidates.hasMore()) {
            ChainUpstream u = candidates.next();
            if (u == null) {
                ticker.advance(java.time.Duration.ofNanos(candidates.waitNanos()));
                continue;
            }
            asked.add(u.name());
            if (u == beta) {
                candidates.failed(u, behind);
            } else {
                u.health().record(UpstreamReply.failure("alpha", FailureKind.BAD_RESPONSE, "not JSON", 1_000_000));
                candidates.failed(u, FailureKind.BAD_RESPONSE);
                succeed(u); // flaky, never dead
            }
        }
        assertThat(asked).as("the retry budget is spent").hasSize(2 + POLICY.retryBudget());
        assertThat(asked).filteredOn("beta"::equals).hasSize(2);

        assertThat(candidates.next()).isNull();
        long wait = candidates.waitNanos();
        assertThat(wait).as("waits for beta to catch up").isPositive().isLessThanOrEqualTo(POLICY.lagRecheckNanos());
        assertThat(refreshed).as("beta's head polled out of turn while the request waits").contains(beta);
        ticker.advance(java.time.Duration.ofNanos(wait));
        beta.health().headReported(101);
        beta.health().lag(0, false);
        assertThat(candidates.next()).as("beta's head reached the block: its vote, outside the spent budget")
                .isSameAs(beta);
        candidates.failed(beta, behind);
        beta.health().headReported(102);
        assertThat(candidates.next()).as("a second re-ask would be a retry, and none is left").isNull();
        assertThat(candidates.waitNanos()).isEqualTo(-1);
    }

    @Test
    void aNodeThatLackedTheBlockIsWaitedForOnlyBriefly() {
        ChainUpstream beta = upstream("beta");
        beta.health().headReported(92);
        Candidates candidates = atBlock100(beta);
        UpstreamReply behind = headerNotFound("beta");
        assertThat(candidates.next()).isSameAs(beta);
        candidates.failed(beta, behind);
        ticker.advance(java.time.Duration.ofNanos(POLICY.blockRetrySpacingNanos()));
        assertThat(candidates.next()).isSameAs(beta);
        candidates.failed(beta, behind);
        assertThat(candidates.next()).isNull();
        assertThat(candidates.waitNanos()).isEqualTo(POLICY.lagRecheckNanos());
        ticker.advance(java.time.Duration.ofNanos(POLICY.lagWaitNanos()));
        assertThat(candidates.next()).isNull();
        assertThat(candidates.waitNanos()).as("a node stuck behind does not hold the request for its deadline")
                .isEqualTo(-1);
    }

    @Test
    void aNodeWhoseAnswerCameFromFarBehindIsWaitedForBrieflyAndAskedOnceItCatchesUp() {
        ChainUpstream beta = upstream("beta");
        frozenEightBlocksBack(beta);
        Candidates candidates = new Candidates(new ArrayList<>(), new ArrayList<>(), List.of(beta), ticker);
        candidates.block(100, 5);
        assertThat(candidates.behind(beta)).isTrue();
        beta.health().headReported(95);
        beta.health().lag(5, false);
        assertThat(candidates.behind(beta)).as("5 blocks back may still vote").isFalse();

        assertThat(candidates.next()).isSameAs(beta);
        candidates.stale(beta);
        assertThat(candidates.next()).as("not asked again at the same head").isNull();
        assertThat(candidates.waitNanos()).isEqualTo(POLICY.lagRecheckNanos());
        ticker.advance(java.time.Duration.ofNanos(POLICY.lagWaitNanos()));
        assertThat(candidates.waitNanos()).as("a node stuck behind is not waited for all the deadline").isEqualTo(-1);

        beta.health().headReported(100);
        beta.health().lag(0, false);
        assertThat(candidates.next()).as("its head reached the block").isSameAs(beta);
        assertThat(candidates.next()).isNull();
    }

    @Test
    void otherNodeErrorsAreNotRetriedOnTheSameUpstream() {
        ChainUpstream beta = upstream("beta");
        Candidates candidates = new Candidates(new ArrayList<>(), new ArrayList<>(List.of(beta)), List.of(), ticker);
        com.fasterxml.jackson.databind.JsonNode notFound = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("code", -32601).put("message", "the method eth_foo does not exist/is not available");
        assertThat(candidates.next()).isSameAs(beta);
        candidates.failed(beta, new UpstreamReply("beta", null, notFound, FailureKind.NODE_ERROR,
                "JSON-RPC error -32601", null, 1_000_000));
        assertThat(candidates.next()).isNull();
    }

    @Test
    void deterministicFailuresAreNotRetried() {
        ChainUpstream beta = upstream("beta");
        Candidates candidates = new Candidates(new ArrayList<>(), new ArrayList<>(List.of(beta)), List.of(), ticker);
        assertThat(candidates.next()).isSameAs(beta);
        candidates.failed(beta, FailureKind.TIMEOUT);
        assertThat(candidates.next()).isNull();
    }

    @Test
    void retriesSpreadOverTheFlakyUpstreamsInsteadOfSpendingTheBudgetOnOne() {
        // Regression for a drill finding (partition, lag then resets): the whole retry budget went to the
        // upstream with the best error rate, which reset every time, and beta was never asked again.
        ChainUpstream alpha = upstream("alpha", 0);
        ChainUpstream beta = upstream("beta", 0);
        Candidates candidates = new Candidates(new ArrayList<>(List.of(alpha, beta)), new ArrayList<>(), List.of(),
                ticker);

        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ChainUpstream next = candidates.next();
            asked.add(next.name());
            next.health().record(UpstreamReply.failure(next.name(), FailureKind.RESET, "reset", 1_000_000));
            candidates.failed(next, FailureKind.RESET);
            ticker.advance(java.time.Duration.ofMillis(200));
        }

        assertThat(asked).containsExactly("alpha", "beta", "alpha", "beta", "alpha", "beta");
    }

    @Test
    void anUpstreamLastSeenFarBehindIsOfferedOnlyAfterAFailure() {
        ChainUpstream alpha = upstream("alpha", 0);
        ChainUpstream gamma = upstream("gamma", 0);
        Candidates candidates = new Candidates(new ArrayList<>(List.of(alpha)), new ArrayList<>(), List.of(gamma),
                ticker);

        assertThat(candidates.next()).isSameAs(alpha);
        assertThat(candidates.hasMore()).as("not to hedge a call that is only slow").isFalse();
        assertThat(candidates.next()).isNull();
        candidates.failed(alpha, FailureKind.HTTP_5XX);
        assertThat(candidates.next()).isSameAs(gamma);
    }

    @Test
    void anUpstreamLastSeenFarBehindIsOfferedWhenTheOthersCannotMakeTheQuorum() {
        ChainUpstream beta = upstream("beta", 0);
        ChainUpstream gamma = upstream("gamma", 0);
        Candidates candidates = new Candidates(new ArrayList<>(List.of(beta)), new ArrayList<>(), List.of(gamma),
                ticker);
        candidates.needs(2);

        assertThat(candidates.next()).isSameAs(beta);
        assertThat(candidates.next()).isSameAs(gamma);
        assertThat(candidates.next()).isNull();
    }

    private ChainUpstream upstream(String name, int failures) {
        UpstreamHealth health = new UpstreamHealth(name, ticker, null);
        health.chainIdChecked(null);
        health.record(UpstreamReply.result(name, TextNode.valueOf("0x1"), 1_000_000));
        for (int i = 0; i < failures; i++) {
            health.record(UpstreamReply.failure(name, FailureKind.RESET, "reset", 1_000_000));
        }
        return new ChainUpstream(new Upstream(name, URI.create("http://127.0.0.1:9/"), ClientFactory.ofDefault(),
                ticker), health);
    }
}
