package dev.outlast.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.config.VerifyMode;
import dev.outlast.drill.Fault;
import dev.outlast.drill.FaultProxy;
import dev.outlast.server.OutlastServer;
import dev.outlast.testing.GanacheCluster;
import dev.outlast.testing.TrueState;
import dev.outlast.testing.WalletLoad;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three real ganache providers behind Outlast, driven by web3j: for each way one provider can fail
 * (and for pairs failing at once in different ways), a short wallet load sees no error and no
 * wrong value. Each case runs {@code -Doutlast.faults.seconds=N} seconds (default 3).
 */
class ProviderFaultsIT {

    private static GanacheCluster cluster;
    private static TrueState truth;
    private OutlastServer server;
    private WalletLoad load;

    @BeforeAll
    static void startChain() {
        cluster = GanacheCluster.startWithGossip(3);
        truth = new TrueState(cluster.nodeUri(2)).recordAppearances();
    }

    @AfterAll
    static void stopChain() {
        truth.close();
        cluster.close();
    }

    /** A fresh gateway per case, so one case's quarantines and backoffs do not leak into the next. */
    @BeforeEach
    void startGateway() {
        for (int i = 0; i < 3; i++) {
            cluster.proxy(i).clearFaults();
        }
        startGateway(ChainConfig.DEFAULT_VERIFY.mode());
    }

    private void startGateway(VerifyMode verify) {
        List<UpstreamConfig> upstreams = List.of(
                new UpstreamConfig("alpha", cluster.proxyUri(0)),
                new UpstreamConfig("beta", cluster.proxyUri(1)),
                new UpstreamConfig("gamma", cluster.proxyUri(2)));
        ChainConfig chain = new ChainConfig("devnet", GanacheCluster.CHAIN_ID, upstreams, Duration.ofSeconds(10),
                Duration.ofMillis(250), Duration.ofSeconds(2), ChainConfig.DEFAULT_MAX_LAG_BLOCKS,
                ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of()).withVerify(verify);
        server = OutlastServer.start(new OutlastConfig(ServerConfig.of("127.0.0.1", 0), List.of(chain)));
        load = new WalletLoad(URI.create("http://127.0.0.1:" + server.port() + "/rpc/devnet"), truth,
                cluster.accounts(), GanacheCluster.CHAIN_ID);
        // Ready too: usable upstreams whose chain id is not checked yet give no served head, and a
        // wallet's first eth_blockNumber would get no_usable_upstream.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.chains().get("devnet").isReady()
                && server.chains().get("devnet").upstreams().stream().allMatch(u -> u.health().isUsable()));
    }

    @AfterEach
    void stopGateway() {
        load.close();
        server.closeAsync();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("cloudflare 520", List.of(Fault.cloudflare(520)), List.of()),
                Arguments.of("cloudflare 526", List.of(Fault.cloudflare(526)), List.of()),
                Arguments.of("429 with Retry-After", List.of(Fault.rateLimited(2)), List.of()),
                Arguments.of("slow 2s", List.of(Fault.latency(Duration.ofSeconds(2))), List.of()),
                Arguments.of("connection resets", List.of(Fault.reset()), List.of()),
                Arguments.of("black hole", List.of(Fault.blackHole()), List.of()),
                Arguments.of("non-JSON body", List.of(Fault.notJson()), List.of()),
                Arguments.of("truncated body", List.of(Fault.truncated()), List.of()),
                Arguments.of("zero balances and nonces", List.of(Fault.lie()), List.of()),
                Arguments.of("frozen 20 blocks behind", List.of(Fault.lag(20)), List.of()),
                Arguments.of("wrong chain id", List.of(Fault.wrongChain(5)), List.of()),
                Arguments.of("black hole + 30% resets", List.of(Fault.blackHole()), List.of(Fault.reset().withP(0.3))),
                Arguments.of("lies + 1.5s slow", List.of(Fault.lie()), List.of(Fault.latency(Duration.ofMillis(1500)))),
                Arguments.of("429 + 30% resets", List.of(Fault.rateLimited(5)), List.of(Fault.reset().withP(0.3))));
    }

    /** With consensus alone, one honest provider left cannot confirm a balance: it is refused, never guessed. */
    @Test
    void withOneHonestProviderLeftBalancesAreRefusedNeverGuessed() {
        stopGateway();
        startGateway(VerifyMode.CONSENSUS);
        WalletLoad.Stats stats = liesAndBlackHole(true);
        assertThat(stats.wrong()).as("wrong values: %s", stats.samples()).isZero();
        assertThat(stats.errors()).as("money reads refused").isPositive();
        assertThat(stats.samples()).allSatisfy(s -> assertThat(s).containsAnyOf("no_quorum", "-32052",
                "eth_sendRawTransaction", "transfer"));
        assertThat(stats.p99Millis()).as("refused promptly, not at the deadline").isLessThan(5000);
    }

    /**
     * The same outage under the default ({@code verify: auto}, ganache serves proofs): the two
     * providers that answer still agree on block headers, so the honest one's proof is served. Reads
     * only: the pending nonce a transfer needs is not provable (no block), so it stays on consensus
     * and is refused as above.
     */
    @Test
    void withOneHonestProviderLeftProofsServeTheTruth() {
        WalletLoad.Stats stats = liesAndBlackHole(false);
        assertThat(stats.requests()).isGreaterThan(5);
        assertThat(stats.wrong()).as("wrong values: %s", stats.samples()).isZero();
        assertThat(stats.errors()).as("errors: %s", stats.samples()).isZero();
    }

    private WalletLoad.Stats liesAndBlackHole(boolean transfers) {
        cluster.proxy(0).setFault(Fault.lie());
        cluster.proxy(1).setFault(Fault.blackHole());
        // Head polls find the black hole within a few seconds; from then on it is a last resort only.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                !server.chains().get("devnet").upstreams().get(1).health().isUsable());
        WalletLoad.Stats stats = load.run("lies + black hole (" + server.chains().get("devnet").config().verify().mode()
                .label() + ")", 4, Duration.ofSeconds(6), transfers);
        System.out.println(stats.row());
        return stats;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void walletSeesNoErrorAndNoWrongValue(String name, List<Fault> alpha, List<Fault> beta) {
        List<FaultProxy> proxies = List.of(cluster.proxy(0), cluster.proxy(1));
        proxies.get(0).setFaults(alpha);
        proxies.get(1).setFaults(beta);
        WalletLoad.Stats stats = load.run(name, 4, Duration.ofSeconds(Long.getLong("outlast.faults.seconds", 3)));
        System.out.println(stats.row());
        assertThat(stats.requests()).isGreaterThan(5);
        assertThat(stats.errors()).as("errors: %s", stats.samples()).isZero();
        assertThat(stats.wrong()).as("wrong values: %s", stats.samples()).isZero();
    }
}
