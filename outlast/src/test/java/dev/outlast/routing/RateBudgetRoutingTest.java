package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-upstream rate budgets through a chain: requests over budget go elsewhere or wait, never fail.
 * The chain's clock is the test's: tokens, Retry-After and waits move only when the test moves it.
 */
class RateBudgetRoutingTest {

    private final FakeUpstream alpha = FakeUpstream.honest();
    private final FakeUpstream beta = FakeUpstream.honest();
    private FakeClockChain chain;

    @AfterEach
    void close() {
        if (chain != null) {
            chain.close();
        }
        alpha.close();
        beta.close();
    }

    private void start(List<UpstreamConfig> upstreams) {
        start(upstreams, Duration.ofSeconds(10));
    }

    private void start(List<UpstreamConfig> upstreams, Duration requestTimeout) {
        // Head polls take tokens too: poll once a second (as by default), not ten times as in other tests.
        ChainConfig config = TestGateway.chain(Map.of("x", alpha.uri()), c -> new ChainConfig(c.id(), c.chainId(),
                upstreams, requestTimeout, Duration.ofSeconds(1), c.chainIdCheckInterval(), c.maxLagBlocks(),
                c.consensus(), c.hedging(), c.deniedMethods()));
        // Without the cache: net_version would be answered from it.
        chain = FakeClockChain.start(config, upstreams.size());
    }

    private JsonNode netVersion() {
        return FakeClockChain.json(chain.answer(chain.send("net_version", "[]")));
    }

    @Test
    void requestsOverAnUpstreamsBudgetGoToAnother() {
        start(List.of(new UpstreamConfig("alpha", alpha.uri(), 5), new UpstreamConfig("beta", beta.uri())));
        long started = chain.nanos();
        for (int i = 0; i < 60; i++) {
            assertThat(netVersion().path("result").asText()).isEqualTo("1337");
            chain.advance(Duration.ofMillis(20));
        }
        double seconds = (chain.nanos() - started) / 1e9;

        // One second of tokens at start, five more per second; head polls take some too.
        assertThat(alpha.calls("net_version")).isLessThanOrEqualTo((int) Math.ceil(5 + 5 * seconds));
        assertThat(beta.calls("net_version")).isGreaterThanOrEqualTo(60 - (int) Math.ceil(5 + 5 * seconds));
    }

    @Test
    void withNowhereElseToGoRequestsWaitForTheBudgetInsteadOfFailing() {
        start(List.of(new UpstreamConfig("alpha", alpha.uri(), 10)));
        long started = chain.nanos();
        List<CompletableFuture<RpcOutcome>> answers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Distinct requests: identical ones in flight would be coalesced into one call.
            String address = String.format("\"0x%040x\"", i + 1);
            answers.add(chain.send("eth_getBalance", "[" + address + ",\"0x10\"]"));
        }
        chain.advanceUntil(() -> answers.stream().allMatch(CompletableFuture::isDone));
        for (CompletableFuture<RpcOutcome> a : answers) {
            assertThat(FakeClockChain.json(a.join()).path("result").asText()).isEqualTo("0xde0b6b3a7640000");
        }
        Duration took = Duration.ofNanos(chain.nanos() - started);

        // 25 requests at 10/s with at most one second of tokens saved cannot all go in under 1.5 s.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
        assertThat(alpha.calls("eth_getBalance")).isEqualTo(25);
    }

    @Test
    void a429LowersTheBudgetAndTheRequestGoesElsewhere() {
        start(List.of(new UpstreamConfig("alpha", alpha.uri(), 20), new UpstreamConfig("beta", beta.uri())));
        alpha.mode(new FakeUpstream.Mode.RateLimited(1));
        ChainUpstream a = chain.chain().upstreams().stream().filter(u -> u.name().equals("alpha")).findFirst()
                .orElseThrow();
        // The head poll reaches alpha within a second.
        chain.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(a.health().budget().isLowered()).isTrue());
        assertThat(netVersion().path("result").asText()).isEqualTo("1337");
        assertThat(alpha.calls("net_version") + alpha.calls("eth_blockNumber")).isPositive();
        // Halved (10/s, or less after more 429s) and recovering by about one request per second.
        assertThat(a.health().budget().rate()).isLessThan(15);
    }

    @Test
    void whenEveryUpstreamSaid429RequestsWaitForRetryAfterInsteadOfFailing() {
        start(List.of(new UpstreamConfig("alpha", alpha.uri())));
        ChainUpstream a = chain.chain().upstreams().getFirst();
        alpha.mode(new FakeUpstream.Mode.RateLimited(1));
        // The head poll (once a second) meets the 429 and the upstream is set aside for a second.
        chain.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.health().snapshot().reason().contains("rate limited"));
        alpha.mode(FakeUpstream.HONEST);
        long started = chain.nanos();

        JsonNode answer = FakeClockChain.json(chain.answerAdvancing(chain.send("net_version", "[]")));

        assertThat(answer.path("result").asText()).as(answer.toString()).isEqualTo("1337");
        // It waited for the end of the one-second Retry-After, not for the 10 s deadline.
        assertThat(Duration.ofNanos(chain.nanos() - started)).isLessThan(Duration.ofMillis(1500));
    }
    @Test
    void aRequestWhoseOnlyUpstreamSays429IsSentAgainAfterRetryAfter() {
        start(List.of(new UpstreamConfig("alpha", alpha.uri())));
        alpha.mode(new FakeUpstream.Mode.RateLimited(1));
        long started = chain.nanos();

        CompletableFuture<RpcOutcome> sent = chain.send("net_version", "[]");
        await().until(() -> chain.health("alpha").retryAfterNanos() > 0);
        chain.advanceBy(Duration.ofMillis(300));
        alpha.mode(FakeUpstream.HONEST);
        JsonNode answer = FakeClockChain.json(chain.answerAdvancing(sent));

        assertThat(answer.path("result").asText()).as(answer.toString()).isEqualTo("1337");
        // Asked, told to wait a second, asked again once the second had passed.
        assertThat(Duration.ofNanos(chain.nanos() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900))
                .isLessThan(Duration.ofMillis(2500));
        assertThat(alpha.calls("net_version")).isEqualTo(2);
    }

    @Test
    void aProviderThatKeepsSaying429EndsInAnErrorWithinTheDeadlineNotAHang() {
        start(List.of(new UpstreamConfig("alpha", alpha.uri())), Duration.ofMillis(2500));
        alpha.mode(new FakeUpstream.Mode.RateLimited(1));
        long started = chain.nanos();

        JsonNode answer = FakeClockChain.json(chain.answerAdvancing(chain.send("net_version", "[]")));

        // Each head poll's 429 moves the Retry-After on, so the request waits for it until the
        // deadline is too close, then ends with the provider's refusal, not at a client timeout.
        assertThat(answer.path("error").path("data").path("reason").asText()).as(answer.toString())
                .isEqualTo("all_upstreams_failed");
        assertThat(answer.path("error").path("data").path("upstreams").get(0).path("failure").asText())
                .isEqualTo("rate_limited");
        assertThat(Duration.ofNanos(chain.nanos() - started)).isLessThan(Duration.ofMillis(2600));
    }

    @Test
    void whenEveryUpstreamSays429TheTransactionIsSentAgainAfterRetryAfter() {
        chain = FakeClockChain.start(TestGateway.chain(Map.of("alpha", alpha.uri(), "beta", beta.uri())), 2);
        List<FakeUpstream> both = List.of(alpha, beta);
        both.forEach(f -> f.mode(new FakeUpstream.Mode.RateLimited(1)));
        String raw = PinningAndBroadcastTest.RAW_TX;
        long started = chain.nanos();

        CompletableFuture<RpcOutcome> broadcast = chain.send("eth_sendRawTransaction", "[\"" + raw + "\"]");
        await().until(() -> chain.chain().upstreams().stream().allMatch(u -> u.health().retryAfterNanos() > 0));
        chain.advanceBy(Duration.ofMillis(300));
        both.forEach(f -> f.mode(FakeUpstream.HONEST));
        JsonNode sent = FakeClockChain.json(chain.answerAdvancing(broadcast));

        assertThat(sent.path("result").asText()).as(sent.toString()).isEqualTo(org.web3j.crypto.Hash.sha3(raw));
        assertThat(Duration.ofNanos(chain.nanos() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(both.stream().filter(f -> f.rawTransactions().containsKey(raw))).isNotEmpty();
    }
}
