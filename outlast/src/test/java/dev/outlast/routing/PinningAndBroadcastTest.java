package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.health.HealthState;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.FakeUpstream.Mode;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

@BothPaths
class PinningAndBroadcastTest {

    @Parameter
    private ServerPath path;

    /** A signed legacy transfer (EIP-155 example transaction). */
    static final String RAW_TX = "0xf86c808504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000"
            + "8025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555"
            + "c9f3dc64214b297fb1966a3b6d83";

    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest(), FakeUpstream.honest());
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        fakes.forEach(FakeUpstream::close);
    }

    private Map<String, URI> upstreams() {
        return TestGateway.named(fakes);
    }

    @Test
    void blockNumberNeverGoesBackwardsWhenTheLeaderFallsBehind() {
        gateway = TestGateway.start(path, upstreams());
        fakes.forEach(f -> f.setHead(200));
        await().until(() -> gateway.chain().servedHead() == 200);
        assertThat(gateway.call("eth_blockNumber", "[]").path("result").asText()).isEqualTo("0xc8");
        fakes.get(0).mode(new Mode.Lagging(50));
        fakes.get(1).mode(new Mode.Lagging(50));
        for (int i = 0; i < 10; i++) {
            assertThat(Long.decode(gateway.call("eth_blockNumber", "[]").path("result").asText())).isEqualTo(200);
        }
    }

    @Test
    void aHeadPolledBeforeTheChainIdIsCheckedCountsOnceItIs() {
        // The first poll sends eth_chainId and eth_blockNumber together; a head that answers first
        // is not counted (the chain is not known yet). With polls 30 s apart, the served head must
        // not wait for the next one.
        fakes.forEach(f -> f.delay("eth_chainId", Duration.ofMillis(300)));
        gateway = TestGateway.start(path, TestGateway.chain(upstreams(), c -> c.withHeadPollInterval(Duration.ofSeconds(30))), 3);

        assertThat(gateway.chain().servedHead()).isEqualTo(100);
        assertThat(fakes.get(0).calls("eth_blockNumber")).as("one poll so far").isEqualTo(1);
    }

    @Test
    void latestIsPinnedAndALaggingUpstreamIsNotAsked() {
        gateway = TestGateway.start(path, upstreams());
        fakes.get(2).mode(new Mode.Lagging(20));
        fakes.get(0).setHead(150);
        fakes.get(1).setHead(150);
        fakes.get(2).setHead(150);
        await().untilAsserted(() -> {
            assertThat(gateway.chain().servedHead()).isEqualTo(150);
            assertThat(gateway.chain().upstreams().get(2).health().state()).isEqualTo(HealthState.LAGGING);
        });
        int before = fakes.get(2).calls("eth_getTransactionCount");
        for (int i = 0; i < 10; i++) {
            AggregatedHttpResponse res = gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionCount\","
                    + "\"params\":[\"0x00000000000000000000000000000000000000aa\",\"latest\"]}");
            assertThat(TestGateway.json(res).path("result").asText()).isEqualTo("0x5");
            assertThat(res.headers().get("x-outlast-upstream")).doesNotContain("gamma");
        }
        assertThat(fakes.get(2).calls("eth_getTransactionCount")).isEqualTo(before);
    }

    /**
     * Regression for a drill finding ({@code drill run partition}): an upstream whose last polled head
     * was far behind (its lag had just ended, or it was back from a black hole) was never asked, even
     * when it was the only way to reach a quorum, and the client got {@code no_quorum}.
     */
    @Test
    void asksAnUpstreamLastSeenFarBehindWhenNoQuorumIsPossibleOtherwise() {
        fakes.forEach(f -> f.setHead(150));
        fakes.get(2).mode(new Mode.Lagging(20));
        gateway = TestGateway.start(path, TestGateway.chain(upstreams(), c -> c.withHeadPollInterval(Duration.ofSeconds(5))), 3);
        await().untilAsserted(() -> {
            assertThat(gateway.chain().servedHead()).isEqualTo(150);
            assertThat(gateway.chain().upstreams().get(2).health().state()).isEqualTo(HealthState.LAGGING);
        });
        // gamma catches up, but the gateway only learns it at the next head poll (5 s); alpha fails meanwhile.
        fakes.get(2).mode(new Mode.Honest());
        fakes.get(0).mode(new Mode.Cloudflare(522));
        int gammaBefore = fakes.get(2).calls("eth_getTransactionCount");

        AggregatedHttpResponse res = gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionCount\","
                + "\"params\":[\"0x00000000000000000000000000000000000000aa\",\"latest\"]}");

        assertThat(TestGateway.json(res).path("result").asText()).as(res.contentUtf8()).isEqualTo("0x5");
        assertThat(res.headers().get("x-outlast-upstream")).contains("beta").contains("gamma");
        assertThat(fakes.get(2).calls("eth_getTransactionCount")).isGreaterThan(gammaBefore);
    }

    @Test
    void upstreamOnAnotherChainIsExcludedWithAVisibleReason() {
        fakes.get(1).mode(new Mode.WrongChain(5));
        gateway = TestGateway.start(path, TestGateway.chain(upstreams()), 2);
        await().untilAsserted(() -> assertThat(gateway.chain().upstreams().get(1).health().state())
                .isEqualTo(HealthState.MISCONFIGURED));
        assertThat(gateway.chain().upstreams().get(1).health().snapshot().reason())
                .contains("eth_chainId returned \"0x5\", expected 0x539 (1337)");
        for (int i = 0; i < 10; i++) {
            AggregatedHttpResponse res = gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"net_version\"}");
            assertThat(res.headers().get("x-outlast-upstream")).isNotEqualTo("beta");
        }
    }

    @Test
    void rawTransactionIsBroadcastToEveryUpstreamAndAlreadyKnownCountsAsSuccess() {
        gateway = TestGateway.start(path, upstreams());
        String raw = RAW_TX;
        fakes.get(1).rawTransactions().put(raw, raw);
        JsonNode first = gateway.call("eth_sendRawTransaction", "[\"" + raw + "\"]");
        String hash = org.web3j.crypto.Hash.sha3(raw);
        assertThat(first.path("result").asText()).isEqualTo(hash);
        await().untilAsserted(() -> fakes.forEach(f -> assertThat(f.rawTransactions()).containsKey(raw)));
        // Sent again: every upstream says "already known", which is success, not an error.
        JsonNode again = gateway.call("eth_sendRawTransaction", "[\"" + raw + "\"]");
        assertThat(again.path("result").asText()).isEqualTo(hash);
    }

    @Test
    void whenTheUsableUpstreamsFailTheTransactionGoesToTheOthers() {
        // Regression for a drill finding (rolling maintenance: gamma in its window answering 502,
        // alpha and beta still down from theirs): the transaction went to gamma alone and failed.
        gateway = TestGateway.start(path, upstreams());
        fakes.get(0).mode(new Mode.Cloudflare(522));
        fakes.get(1).mode(new Mode.Cloudflare(522));
        await().until(() -> health("alpha") == HealthState.DOWN && health("beta") == HealthState.DOWN);
        fakes.get(0).mode(FakeUpstream.HONEST);
        fakes.get(1).mode(FakeUpstream.HONEST);
        fakes.get(2).mode(new Mode.Cloudflare(502));
        String raw = RAW_TX;
        JsonNode sent = gateway.call("eth_sendRawTransaction", "[\"" + raw + "\"]");
        assertThat(sent.path("result").asText()).as(sent.toString()).isEqualTo(org.web3j.crypto.Hash.sha3(raw));
    }

    private HealthState health(String name) {
        return gateway.chain().upstreams().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow()
                .health().state();
    }

    @Test
    void aNonceClashWithTheTransactionItselfIsSuccessOnceALookupFindsIt() {
        // Regression for a wallet scenario failure: the transaction reached every node by gossip
        // first; each refused the direct copy as a nonce clash, and at that moment no lookup by hash
        // found it yet (it was moving from the pool into a block).
        gateway = TestGateway.start(path, upstreams());
        String raw = RAW_TX;
        fakes.forEach(f -> f.minedElsewhere(raw, 1));
        JsonNode sent = gateway.call("eth_sendRawTransaction", "[\"" + raw + "\"]");
        assertThat(sent.path("result").asText()).as(sent.toString()).isEqualTo(org.web3j.crypto.Hash.sha3(raw));
    }

    @Test
    void aNonceClashWithAnotherTransactionStandsAsTheNodesAnswer() {
        gateway = TestGateway.start(path, upstreams());
        String raw = RAW_TX;
        fakes.forEach(f -> f.minedElsewhere(raw, Integer.MAX_VALUE));
        JsonNode sent = gateway.call("eth_sendRawTransaction", "[\"" + raw + "\"]");
        assertThat(sent.path("error").path("message").asText()).contains("correct nonce");
    }

    @Test
    void identicalConcurrentRequestsAreCoalescedIntoOneUpstreamCall() {
        gateway = TestGateway.start(path, upstreams());
        fakes.forEach(f -> f.mode(new Mode.Slow(java.time.Duration.ofMillis(300))));
        int before = fakes.stream().mapToInt(f -> f.calls("net_version")).sum();
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> gateway.call("net_version", "[]")));
        }
        calls.forEach(c -> assertThat(c.join().path("result").asText()).isEqualTo("1337"));
        int upstreamCalls = fakes.stream().mapToInt(f -> f.calls("net_version")).sum() - before;
        assertThat(upstreamCalls).isLessThan(10);
    }
}
