package dev.outlast.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.drill.Fault;
import dev.outlast.drill.FaultProxy;
import dev.outlast.server.OutlastServer;
import dev.outlast.testing.GanacheCluster;
import dev.outlast.testing.TrueState;
import dev.outlast.testing.WalletLoad;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The scenario that matters most: three real providers (ganache) behind fault proxies; phases in
 * which two of them fail at once in different ways, then recovery; a wallet-like load (8 readers
 * of balances, nonces and block numbers, and a transfer every half second) checked against the
 * chain's true state. Through Outlast: 0 errors and 0 wrong values. The same load pointed directly
 * at the first provider shows what the scenario is made of.
 *
 * <p>Phase length: {@code -Doutlast.scenario.phaseSeconds=N} (default 6). The table is printed
 * and written to {@code target/scenario/wallet-scenario.txt}.
 */
class WalletScenarioIT {

    private static final int READERS = 8;

    private record Phase(String name, Consumer<List<FaultProxy>> faults) {
    }

    private static final List<Phase> PHASES = List.of(
            new Phase("a: cloudflare-5xx + 30% 503", p -> {
                p.get(0).setFault(Fault.cloudflare(522));
                p.get(1).setFault(Fault.errorRate(0.3, 503));
            }),
            new Phase("b: zero balances + 1.5s slow", p -> {
                p.get(0).setFault(Fault.lie(Set.of("eth_getBalance", "eth_getTransactionCount")));
                p.get(1).setFault(Fault.latency(Duration.ofMillis(1500)));
            }),
            new Phase("c: resets + 800ms slow", p -> {
                p.get(0).setFault(Fault.reset());
                p.get(1).setFault(Fault.latency(Duration.ofMillis(800)));
            }),
            new Phase("d: recovery", p -> { }));

    @Test
    void walletSeesNoErrorsAndNoWrongValuesWhileTwoProvidersFail() throws IOException {
        Duration phase = Duration.ofSeconds(Long.getLong("outlast.scenario.phaseSeconds", 6));
        try (GanacheCluster cluster = GanacheCluster.startWithGossip(3);
             TrueState truth = new TrueState(cluster.nodeUri(2)).recordAppearances()) {
            List<UpstreamConfig> upstreams = List.of(
                    new UpstreamConfig("alpha", cluster.proxyUri(0)),
                    new UpstreamConfig("beta", cluster.proxyUri(1)),
                    new UpstreamConfig("gamma", cluster.proxyUri(2)));
            ChainConfig chain = new ChainConfig("devnet", GanacheCluster.CHAIN_ID, upstreams, Duration.ofSeconds(10),
                    Duration.ofMillis(250), Duration.ofSeconds(60), ChainConfig.DEFAULT_MAX_LAG_BLOCKS,
                    ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of());
            List<WalletLoad.Stats> outlast = new ArrayList<>();
            List<WalletLoad.Stats> direct = new ArrayList<>();
            try (OutlastServer server = OutlastServer.start(
                    new OutlastConfig(ServerConfig.of("127.0.0.1", 0), List.of(chain)))) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.chains().get("devnet").upstreams()
                        .stream().allMatch(u -> u.health().isUsable()));
                WalletLoad viaOutlast = new WalletLoad(URI.create("http://127.0.0.1:" + server.port() + "/rpc/devnet"),
                        truth, cluster.accounts(), GanacheCluster.CHAIN_ID);
                outlast.addAll(runPhases(cluster, viaOutlast, phase, "outlast"));
                viaOutlast.close();
            }
            WalletLoad viaProvider = new WalletLoad(cluster.proxyUri(0), truth, cluster.accounts(),
                    GanacheCluster.CHAIN_ID);
            direct.addAll(runPhases(cluster, viaProvider, phase, "direct"));
            viaProvider.close();

            String table = report(outlast, direct);
            System.out.println(table);
            Path out = Path.of("target", "scenario");
            Files.createDirectories(out);
            Files.writeString(out.resolve("wallet-scenario.txt"), table);

            for (WalletLoad.Stats s : outlast) {
                assertThat(s.requests()).as("requests in %s", s.phase()).isGreaterThan(20);
                assertThat(s.errors()).as("errors through Outlast in %s: %s", s.phase(), s.samples()).isZero();
                assertThat(s.wrong()).as("wrong values through Outlast in %s: %s", s.phase(), s.samples()).isZero();
            }
            for (int i = 0; i < 3; i++) {
                WalletLoad.Stats s = direct.get(i);
                assertThat(s.errors() + s.wrong()).as("the scenario bites directly in %s", s.phase()).isPositive();
            }
        }
    }

    private static List<WalletLoad.Stats> runPhases(GanacheCluster cluster, WalletLoad load, Duration phase,
                                                    String via) {
        List<FaultProxy> proxies = List.of(cluster.proxy(0), cluster.proxy(1), cluster.proxy(2));
        List<WalletLoad.Stats> stats = new ArrayList<>();
        for (Phase p : PHASES) {
            proxies.forEach(FaultProxy::clearFaults);
            p.faults().accept(proxies);
            stats.add(load.run(via + " " + p.name(), READERS, phase));
        }
        proxies.forEach(FaultProxy::clearFaults);
        return stats;
    }

    private static String report(List<WalletLoad.Stats> outlast, List<WalletLoad.Stats> direct) {
        StringBuilder sb = new StringBuilder();
        sb.append("Wallet scenario: 3 ganache providers, ").append(READERS)
          .append(" readers + 1 transfer / 0.5 s, answers checked against the chain\n");
        sb.append(WalletLoad.Stats.header()).append('\n');
        outlast.forEach(s -> sb.append(s.row()).append('\n'));
        direct.forEach(s -> sb.append(s.row()).append('\n'));
        for (WalletLoad.Stats s : outlast) {
            s.samples().stream().limit(5).forEach(x -> sb.append("  ").append(s.phase()).append(": ").append(x).append('\n'));
        }
        for (WalletLoad.Stats s : direct) {
            if (!s.samples().isEmpty()) {
                sb.append("  e.g. ").append(s.phase()).append(": ").append(s.samples().get(0)).append('\n');
            }
        }
        return sb.toString();
    }
}
