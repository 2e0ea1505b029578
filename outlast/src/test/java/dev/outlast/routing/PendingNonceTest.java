package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.config.CacheConfig;
import dev.outlast.health.HealthState;
import dev.outlast.routing.nonce.SentTransactions;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.TestGateway;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * The pending nonce one honest upstream can serve, and sends that are idempotent and check a
 * "nonce too low" against the agreed nonce. The fake upstreams serve no proofs, so the latest
 * nonce is the one two of them agree on; every one answers 0x5 unless told otherwise.
 */
class PendingNonceTest {

    private static final Credentials KEY = Credentials.create("0x" + "11".repeat(32));
    private static final String SENDER = KEY.getAddress();

    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest(), FakeUpstream.honest());
    private TestGateway gateway;
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

    private void start() {
        gateway = TestGateway.start(TestGateway.chain(TestGateway.named(fakes)), 3, CacheConfig.OFF);
    }

    private static String signed(long nonce) {
        RawTransaction tx = RawTransaction.createEtherTransaction(BigInteger.valueOf(nonce),
                BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(21_000), "0x" + "35".repeat(20), BigInteger.ONE);
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, 1337, KEY));
    }

    private AggregatedHttpResponse pending() {
        return gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionCount\",\"params\":[\""
                + SENDER + "\",\"pending\"]}");
    }

    private JsonNode send(String raw) {
        return gateway.call("eth_sendRawTransaction", "[\"" + raw + "\"]");
    }

    private int broadcasts() {
        return fakes.stream().mapToInt(f -> f.calls("eth_sendRawTransaction")).sum();
    }

    private static String result(AggregatedHttpResponse res) {
        return TestGateway.json(res).path("result").asText();
    }

    private HealthState state(String name) {
        return gateway.chain().upstreams().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow()
                .health().state();
    }

    @Test
    void aPendingNonceBelowTheAgreedLatestOneIsALieAndItsUpstreamIsQuarantined() {
        start();
        fakes.get(0).setPendingNonce("0x0");

        AggregatedHttpResponse res = pending();

        assertThat(result(res)).as(res.contentUtf8()).isEqualTo("0x5");
        assertThat(res.headers().get("x-outlast-verified")).isEqualTo("consensus");
        await().until(() -> state("alpha") == HealthState.QUARANTINED);
        assertThat(gateway.chain().upstreams().get(0).health().snapshot().reason())
                .contains("below the sender's nonce 0x5");
        assertThat(state("beta")).isNotEqualTo(HealthState.QUARANTINED);
        assertThat(state("gamma")).isNotEqualTo(HealthState.QUARANTINED);
    }

    /**
     * A node that fell behind since its last head poll answers pending from an older block: lag, not
     * a lie. Its head is asked again before it is quarantined (polls 30 s apart keep the old head).
     */
    @Test
    void aLowPendingNonceFromANodeWhoseHeadFellBackIsNotALie() {
        gateway = TestGateway.start(TestGateway.chain(TestGateway.named(fakes),
                c -> c.withHeadPollInterval(Duration.ofSeconds(30))), 3, CacheConfig.OFF);
        fakes.get(0).mode(new FakeUpstream.Mode.Lagging(10));
        fakes.get(0).setPendingNonce("0x0");

        AggregatedHttpResponse res = pending();

        assertThat(result(res)).as(res.contentUtf8()).isEqualTo("0x5");
        await().until(() -> fakes.get(0).calls("eth_blockNumber") >= 2);
        sleep(Duration.ofMillis(300));
        assertThat(state("alpha")).isNotEqualTo(HealthState.QUARANTINED);
    }

    @Test
    void aNonceOutlastBroadcastItselfCountsOnceAnUpstreamAcceptedIt() {
        start();
        assertThat(send(signed(5)).path("result").asText()).isEqualTo(Hash.sha3(signed(5)));

        AggregatedHttpResponse res = pending();

        assertThat(result(res)).as("the upstreams still say 0x5: " + res.contentUtf8()).isEqualTo("0x6");
        assertThat(res.headers().get("x-outlast-verified")).isEqualTo("consensus+sent");
        send(signed(7));
        assertThat(result(pending())).as("7 leaves a gap at 6").isEqualTo("0x6");
        send(signed(6));
        assertThat(result(pending())).isEqualTo("0x8");
    }

    @Test
    void upstreamsRaiseThePendingNonceOnlyWhenTwoOfThemReachIt() {
        start();
        fakes.get(0).setPendingNonce("0x9");
        assertThat(result(pending())).as("alpha alone").isEqualTo("0x5");

        fakes.get(1).setPendingNonce("0x9");
        AggregatedHttpResponse res = pending();

        assertThat(result(res)).isEqualTo("0x9");
        assertThat(res.headers().get("x-outlast-verified")).isEqualTo("consensus+upstream");
    }

    @Test
    void aReorgDropsTheBroadcastTransactionsThatWereNotMinedAgain() {
        start();
        String raw = signed(5);
        send(raw);
        assertThat(result(pending())).isEqualTo("0x6");

        fakes.forEach(f -> {
            f.setNonce("0x6");
            f.setHead(101);
        });
        await().until(() -> gateway.chain().servedHead() == 101);
        AggregatedHttpResponse mined = pending();
        assertThat(result(mined)).isEqualTo("0x6");
        assertThat(mined.headers().get("x-outlast-verified")).as("mined: the latest nonce has it").isEqualTo("consensus");

        fakes.forEach(f -> {
            f.reorg(101);
            f.setNonce("0x5");
            f.setHead(102);
        });
        await().until(() -> gateway.chain().servedHead() == 102);
        AggregatedHttpResponse reorged = pending();

        assertThat(result(reorged)).as("not counted as pending again: " + reorged.contentUtf8()).isEqualTo("0x5");
        assertThat(reorged.headers().get("x-outlast-verified")).isEqualTo("consensus");
        int before = broadcasts();
        assertThat(send(raw).path("result").asText()).isEqualTo(Hash.sha3(raw));
        assertThat(broadcasts()).as("sent again, not answered from memory").isGreaterThan(before);
    }

    @Test
    void aResentTransactionIsAnsweredWithItsHashWithoutASecondBroadcast() {
        start();
        String raw = signed(5);
        send(raw);
        await().until(() -> broadcasts() == 3);

        JsonNode again = send(raw);

        assertThat(again.path("result").asText()).isEqualTo(Hash.sha3(raw));
        assertThat(broadcasts()).isEqualTo(3);
    }

    @Test
    void aNonceTooLowContradictedByTheAgreedNonceIsNotPassedOn() {
        start();
        String raw = signed(7);
        fakes.forEach(f -> f.minedElsewhere(raw, Integer.MAX_VALUE));

        JsonNode refused = send(raw);

        JsonNode error = refused.path("error");
        assertThat(error.path("data").path("reason").asText()).as(refused.toString()).isEqualTo("all_upstreams_failed");
        assertThat(error.path("data").path("provenNonce").asText()).isEqualTo("0x5");
        assertThat(error.path("data").path("refusal").path("message").asText()).contains("correct nonce");

        fakes.forEach(f -> f.setNonce("0x8"));
        JsonNode confirmed = send(raw);
        assertThat(confirmed.path("error").path("message").asText()).as(confirmed.toString()).contains("correct nonce");
    }

    @Test
    void aTransactionOutlastSentIsAnsweredWithItsHashWhenItsNonceIsUsedSinceItWasMined() {
        clock = FakeClockChain.start(TestGateway.chain(TestGateway.named(fakes)), 3);
        String raw = signed(5);
        assertThat(FakeClockChain.json(clock.answer(clock.send("eth_sendRawTransaction", "[\"" + raw + "\"]")))
                .path("result").asText()).isEqualTo(Hash.sha3(raw));
        clock.advanceBy(SentTransactions.RESEND_QUIET.plus(Duration.ofSeconds(1)));
        fakes.forEach(f -> {
            f.minedElsewhere(raw, Integer.MAX_VALUE);
            f.setNonce("0x6");
        });

        RpcOutcome again = clock.answerAdvancing(clock.send("eth_sendRawTransaction", "[\"" + raw + "\"]"));

        assertThat(FakeClockChain.json(again).path("result").asText()).as(again.toString()).isEqualTo(Hash.sha3(raw));
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
