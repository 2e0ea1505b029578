package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.CacheConfig;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The served head follows the one usable upstream ahead of the others through the blocks it proves
 * extend the served chain, moves nothing for blocks on another chain, and past {@code maxStaleness}
 * behind a block nobody could prove, reads at {@code latest} are refused with {@code stale_head}.
 */
class ServedHeadTest {

    private static final String ADDRESS = "\"0x00000000000000000000000000000000000000aa\"";
    private static final Duration MAX_STALENESS = Duration.ofMillis(400);

    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest(), FakeUpstream.honest());
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        fakes.forEach(FakeUpstream::close);
    }

    /** Without the cache, whose block watch reads blocks too: every eth_getBlockByNumber is the served head's. */
    private void start() {
        gateway = TestGateway.start(TestGateway.chain(TestGateway.named(fakes), c -> c.withMaxStaleness(MAX_STALENESS)),
                3, CacheConfig.OFF);
        await().until(() -> gateway.chain().servedHead() == 100);
    }

    @Test
    void oneUpstreamAheadMovesTheServedHeadThroughTheBlocksItLinks() {
        start();
        fakes.get(0).setHead(104);

        await().until(() -> gateway.chain().servedHead() == 104);
        assertThat(gateway.call("eth_blockNumber", "[]").path("result").asText()).isEqualTo("0x68");
        assertThat(gateway.chain().headAge().movedBy()).isEqualTo("linked by alpha");
        assertThat(fakes.get(0).blocksAsked()).contains("0x65", "0x66", "0x67", "0x68");
        assertThat(witnessAsks()).as("another upstream gave block 100's hash").containsExactly("0x64");

        fakes.get(0).setHead(109);

        await().until(() -> gateway.chain().servedHead() == 109);
        assertThat(witnessAsks()).as("block 104's hash was recorded by the first step: no witness asked")
                .containsExactly("0x64");
        assertThat(gateway.chain().headAge().nanos()).isZero();
    }

    /** The numbered blocks beta and gamma were asked for. */
    private List<String> witnessAsks() {
        return fakes.subList(1, 3).stream().flatMap(f -> f.blocksAsked().stream())
                .filter(b -> b.startsWith("0x")).toList();
    }

    @Test
    void oneFarAheadOnAnotherChainMovesNothingAndDoesNotMakeTheHeadStale() {
        start();
        fakes.get(0).reorg(0);
        fakes.get(0).setHead(1_000_000);

        await().until(() -> fakes.get(0).calls("eth_getBlockByNumber") >= 16);
        sleep(MAX_STALENESS.multipliedBy(2));

        assertThat(gateway.chain().servedHead()).isEqualTo(100);
        assertThat(gateway.call("eth_blockNumber", "[]").path("result").asText()).isEqualTo("0x64");
        assertThat(gateway.call("eth_getBalance", "[" + ADDRESS + ", \"latest\"]").path("result").asText())
                .isEqualTo("0xde0b6b3a7640000");
        assertThat(gateway.chain().headAge().nanos()).isZero();
    }

    @Test
    void oneClaimingAHeadItCannotShowMovesNothingAndDoesNotMakeTheHeadStale() {
        start();
        fakes.get(0).claimHead(1_000_000);
        await().until(() -> gateway.chain().upstreams().get(0).health().head() == 1_000_000);
        await().until(() -> fakes.get(0).calls("eth_getBlockByNumber") >= 16);
        sleep(MAX_STALENESS.multipliedBy(2));

        assertThat(gateway.chain().servedHead()).isEqualTo(100);
        assertThat(gateway.call("eth_blockNumber", "[]").path("result").asText()).isEqualTo("0x64");
        assertThat(gateway.chain().headAge().nanos()).isZero();
    }

    @Test
    void aNewerBlockNobodyCanProveMakesReadsAtLatestAnErrorPastMaxStaleness() {
        start();
        fakes.get(0).delay("eth_getBlockByNumber", Duration.ofSeconds(30));
        fakes.get(0).setHead(110);

        await().until(() -> gateway.chain().headAge().nanos() > MAX_STALENESS.toNanos());
        JsonNode head = gateway.call("eth_blockNumber", "[]");
        assertThat(head.path("error").path("code").asInt()).as(head.toString()).isEqualTo(-32063);
        assertThat(head.path("error").path("data").path("reason").asText()).isEqualTo("stale_head");
        assertThat(head.path("error").path("data").path("servedHead").asLong()).isEqualTo(100);
        assertThat(head.path("error").path("data").path("maxStalenessMs").asLong()).isEqualTo(400);
        JsonNode latest = gateway.call("eth_getBalance", "[" + ADDRESS + ", \"latest\"]");
        assertThat(latest.path("error").path("data").path("reason").asText()).as(latest.toString())
                .isEqualTo("stale_head");
        JsonNode numbered = gateway.call("eth_getBalance", "[" + ADDRESS + ", \"0x64\"]");
        assertThat(numbered.path("result").asText()).as("a block named by number is not stale")
                .isEqualTo("0xde0b6b3a7640000");
        JsonNode api = TestGateway.json(gateway.get("/api/v1/upstreams")).path("chains").path(0);
        assertThat(api.path("headStale").asBoolean()).isTrue();
        assertThat(api.path("headAgeMs").asLong()).isGreaterThan(MAX_STALENESS.toMillis());
        assertThat(gateway.get("/metrics").contentUtf8()).containsPattern(
                "outlast_chain_head_age_seconds\\{chain=\"devnet\"} 0\\.[4-9]|outlast_chain_head_age_seconds\\{chain="
                        + "\"devnet\"} [1-9]");

        // the others catch up: agreement moves the head, and reads at latest are answered again
        fakes.get(1).setHead(110);
        fakes.get(2).setHead(110);
        await().until(() -> gateway.chain().servedHead() == 110);
        assertThat(gateway.call("eth_blockNumber", "[]").path("result").asText()).isEqualTo("0x6e");
        assertThat(gateway.chain().headAge().movedBy()).isEqualTo("agreed by 2");
    }

    @Test
    void aReorgAtTheTipIsFollowedOnceAnotherUpstreamGivesTheNewBlock() {
        start();
        fakes.get(0).setHead(104);
        await().until(() -> gateway.chain().servedHead() == 104);
        fakes.get(1).setHead(104);

        // blocks 103 and up are replaced everywhere; the hash recorded for 104 no longer links, and
        // beta, which has the new 104, is asked for it
        fakes.forEach(f -> f.reorg(103));
        fakes.get(0).setHead(107);

        await().until(() -> gateway.chain().servedHead() == 107);
        assertThat(gateway.chain().headAge().movedBy()).isEqualTo("linked by alpha");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
