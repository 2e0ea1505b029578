package dev.outlast.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upstreams' WebSockets: a {@code newHeads} notification moves the served head without waiting for
 * a poll, pending transactions reach {@code newPendingTransactions} subscribers once whether an
 * upstream announced them on its socket or through a polled filter, and a socket that closes, stalls
 * or refuses subscriptions is handled (opened again, or left to polling).
 */
class UpstreamSocketTest {

    private static final String TX_A = "0x" + "a1".repeat(32);
    private static final String TX_B = "0x" + "b2".repeat(32);
    private static final String TX_C = "0x" + "c3".repeat(32);

    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest(), FakeUpstream.honest());
    private final FakeSocketUpstream socket = new FakeSocketUpstream();
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        fakes.forEach(FakeUpstream::close);
        socket.close();
    }

    /** Starts a gateway whose first upstream, alpha, has the fake socket as its {@code ws:} URL. */
    private void start(Duration headPolls) {
        gateway = TestGateway.start(withSocket(headPolls), 3);
        await().until(() -> gateway.chain().servedHead() == 100);
        await().until(() -> socket.subscribes("newHeads") == 1 && socket.openSockets() == 1);
    }

    /** The fakes as alpha, beta and gamma, alpha with the fake socket as its {@code ws:} URL. */
    private ChainConfig withSocket(Duration headPolls) {
        ChainConfig base = TestGateway.chain(TestGateway.named(fakes), c -> c.withHeadPollInterval(headPolls));
        List<UpstreamConfig> upstreams = new ArrayList<>(base.upstreams());
        upstreams.set(0, upstreams.get(0).withWs(socket.uri()));
        return new ChainConfig(base.id(), base.chainId(), upstreams, base.requestTimeout(),
                base.headPollInterval(), base.chainIdCheckInterval(), base.maxLagBlocks(), base.consensus(),
                base.hedging(), base.deniedMethods(), base.verify(), base.logs(), base.maxStaleness());
    }

    private String metrics() {
        return gateway.get("/metrics").contentUtf8();
    }

    @Test
    void anAnnouncedBlockIsServedWithoutWaitingForTheNextPoll() {
        start(Duration.ofSeconds(30));
        fakes.forEach(f -> f.setHead(103));
        socket.announceHead(103);
        // alpha's announcement makes it the leader; its blocks 101..103 link to block 100, which beta
        // and gamma have: the head moves long before the next poll, 30 s away
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.chain().servedHead() == 103);
        assertThat(gateway.chain().headAge().movedBy()).isEqualTo("linked by alpha");
        await().until(() -> metrics().contains("outlast_upstream_socket_open{chain=\"devnet\",upstream=\"alpha\"} 1.0"));
    }

    @Test
    void anAnnouncementBelowTheUpstreamsHeadChangesNothing() {
        start(Duration.ofSeconds(30));
        fakes.forEach(f -> f.setHead(105));
        socket.announceHead(105);
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.chain().servedHead() == 105);
        // a late or repeated notification: no poll comes for 30 s to mend a head lowered by it
        socket.announceHead(102);
        await().during(Duration.ofMillis(500)).until(() -> gateway.chain().upstreams().get(0).health().head() == 105);
    }

    @Test
    void pendingTransactionsReachSubscribersOnceFromSocketsAndFilters() throws InterruptedException {
        start(Duration.ofMillis(100));
        try (SocketClient client = SocketClient.connect(gateway.server().port(), "devnet")) {
            String id = client.call("eth_subscribe", "[\"newPendingTransactions\"]").path("result").asText();
            await().until(() -> socket.subscribes("newPendingTransactions") == 1);
            socket.announcePending(TX_A);
            socket.announcePending(TX_A.toUpperCase().replace("0X", "0x"));
            fakes.get(1).addPending(TX_A);
            fakes.get(1).addPending(TX_B);
            fakes.get(2).addPending(TX_C);
            fakes.get(2).addPending("not a hash");
            Set<String> got = new HashSet<>();
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode n = client.next();
                assertThat(n.path("params").path("subscription").asText()).isEqualTo(id);
                all.add(n.path("params").path("result").asText());
                got.add(n.path("params").path("result").asText());
            }
            assertThat(got).containsExactlyInAnyOrder(TX_A, TX_B, TX_C);
            assertThat(client.poll(Duration.ofMillis(500))).as("no duplicate after " + all).isNull();
            assertThat(metrics()).contains("outlast_ws_pending_transactions_total{chain=\"devnet\"} 3.0");

            // the last subscriber gone, the upstream subscription ends too
            assertThat(client.call("eth_unsubscribe", "[\"" + id + "\"]").path("result").asBoolean()).isTrue();
            await().until(() -> socket.unsubscribes() == 1);
        }
    }

    @Test
    void fullPendingTransactionsAreRefusedOnAnOpenSocket() throws InterruptedException {
        start(Duration.ofMillis(100));
        try (SocketClient client = SocketClient.connect(gateway.server().port(), "devnet")) {
            JsonNode refused = client.call("eth_subscribe", "[\"newPendingTransactions\", true]");
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(refused.path("error").path("message").asText()).contains("full transaction bodies");
            assertThat(client.call("eth_subscribe", "[\"newPendingTransactions\", false]").path("result").asText())
                    .startsWith("0x");
        }
    }

    @Test
    void aClosedSocketIsOpenedAgainAndSubscribesAgain() {
        start(Duration.ofMillis(100));
        socket.closeSockets();
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.subscribes("newHeads") == 2 && socket.openSockets() == 1);
        assertThat(metrics()).contains(
                "outlast_upstream_socket_reopens_total{chain=\"devnet\",reason=\"closed\",upstream=\"alpha\"} 1.0");
        fakes.forEach(f -> f.setHead(101));
        socket.announceHead(101);
        await().until(() -> gateway.chain().servedHead() == 101);
    }

    @Test
    void aSocketSilentWhileTheHeadMovesIsStalledAndOpenedAgain() {
        start(Duration.ofMillis(100));
        // the polls see the head move three blocks; the socket says nothing
        fakes.forEach(f -> f.setHead(103));
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.subscribes("newHeads") == 2);
        assertThat(metrics()).contains(
                "outlast_upstream_socket_reopens_total{chain=\"devnet\",reason=\"stalled\",upstream=\"alpha\"} 1.0");
    }

    @Test
    void anUpstreamRefusingSubscriptionsIsLeftToPolling() {
        socket.refuseSubscriptions();
        gateway = TestGateway.start(withSocket(Duration.ofMillis(100)), 3);
        await().until(() -> socket.subscribes("newHeads") == 1);
        fakes.forEach(f -> f.setHead(102));
        await().until(() -> gateway.chain().servedHead() == 102);
        await().during(Duration.ofMillis(1500)).until(() -> socket.subscribes("newHeads") == 1);
        assertThat(metrics()).contains(
                "outlast_upstream_socket_reopens_total{chain=\"devnet\",reason=\"refused\",upstream=\"alpha\"} 1.0");
    }
}
