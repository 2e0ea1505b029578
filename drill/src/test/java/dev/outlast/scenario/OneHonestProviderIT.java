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
import dev.outlast.testing.CheckedReaders;
import dev.outlast.testing.GanacheCluster;
import dev.outlast.testing.JsonRpcClient;
import dev.outlast.testing.PhaseLedger;
import dev.outlast.testing.SendingWallet;
import dev.outlast.testing.Tally;
import dev.outlast.testing.TrueState;
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
 * Sends keep working, and reads stay right and fresh, while one honest provider remains. Real
 * ganache nodes gossiping raw transactions (each node gets each transaction once), each behind a
 * fault proxy; through Outlast, a web3j wallet that asks for its {@code pending} nonce before each
 * transfer, as ethers does, and sends the next transfer once the last is mined; and 8 readers of
 * balances, nonces and block numbers. Counted per phase: failed sends, wrong values (values the
 * chain never held) and stale reads (values the chain had replaced more than {@link #MAX_AGE}
 * before the read began). Done when all three are 0 in every phase.
 *
 * <p>Three providers: calm; A behind Cloudflare answering 520 pages while B fails 30% of its calls
 * with 503 (the served head must not wait for B's agreement); B answering zero balances and nonces
 * while C takes 1.5 s; C resetting connections while A takes 800 ms; recovered. Two providers: calm;
 * B answering zero balances and nonces; B honest again (but quarantined for lying). Phase length:
 * {@code -Doutlast.scenario.phaseSeconds=N} (default 8; the issue measured 12). The tables are printed and written to
 * {@code target/scenario/one-honest-provider-*.txt}.
 */
class OneHonestProviderIT {

    static final int READERS = 8;
    static final Duration MAX_AGE = Duration.ofSeconds(2);
    /** What the lying provider zeroes: balances and nonces, also in the proofs it gives. */
    private static final Set<String> ZEROED = Set.of("eth_getBalance", "eth_getTransactionCount", "eth_getProof");

    private record Phase(String name, Consumer<List<FaultProxy>> faults) {
    }

    @Test
    void threeProvidersOneHonestAtATime() throws IOException {
        run(3, "three", List.of(
                new Phase("calm", p -> { }),
                new Phase("a cloudflare 520 + b 30% 503", p -> {
                    p.get(0).setFault(Fault.cloudflare(520));
                    p.get(1).setFault(Fault.errorRate(0.3, 503));
                }),
                new Phase("b zero balances + c 1.5s slow", p -> {
                    p.get(1).setFault(Fault.lie(ZEROED));
                    p.get(2).setFault(Fault.latency(Duration.ofMillis(1500)));
                }),
                new Phase("c resets + a 800ms slow", p -> {
                    p.get(2).setFault(Fault.reset());
                    p.get(0).setFault(Fault.latency(Duration.ofMillis(800)));
                }),
                new Phase("recovered", p -> { })));
    }

    @Test
    void twoProvidersOneLiar() throws IOException {
        run(2, "two", List.of(
                new Phase("calm (2 providers)", p -> { }),
                new Phase("b zero balances (2 providers)", p -> p.get(1).setFault(Fault.lie(ZEROED))),
                new Phase("b honest again (2 providers)", p -> { })));
    }

    private static void run(int providers, String label, List<Phase> phases) throws IOException {
        Duration phase = Duration.ofSeconds(Long.getLong("outlast.scenario.phaseSeconds", 8));
        PhaseLedger ledger = new PhaseLedger();
        try (GanacheCluster cluster = GanacheCluster.startWithGossip(providers);
             TrueState truth = new TrueState(cluster.nodeUri(providers - 1)).recordAppearances()) {
            String[] names = {"alpha", "beta", "gamma"};
            List<UpstreamConfig> upstreams = new ArrayList<>();
            for (int i = 0; i < providers; i++) {
                upstreams.add(new UpstreamConfig(names[i], cluster.proxyUri(i)));
            }
            ChainConfig chain = new ChainConfig("devnet", GanacheCluster.CHAIN_ID, upstreams, Duration.ofSeconds(10),
                    Duration.ofMillis(250), Duration.ofSeconds(60), ChainConfig.DEFAULT_MAX_LAG_BLOCKS,
                    ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of());
            try (OutlastServer server = OutlastServer.start(
                    new OutlastConfig(ServerConfig.of("127.0.0.1", 0), List.of(chain)))) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    var devnet = server.chains().get("devnet");
                    return devnet.upstreams().stream().allMatch(u -> u.health().isUsable())
                            && "proofs".equals(devnet.effectiveVerify());
                });
                URI rpc = URI.create("http://127.0.0.1:" + server.port() + "/rpc/devnet");
                List<FaultProxy> proxies = new ArrayList<>();
                for (int i = 0; i < providers; i++) {
                    proxies.add(cluster.proxy(i));
                }
                ledger.begin(phases.get(0).name());
                SendingWallet wallet = new SendingWallet(rpc, truth, cluster.accounts().get(0),
                        cluster.accounts().get(1).address(), GanacheCluster.CHAIN_ID, ledger).start();
                CheckedReaders readers = new CheckedReaders(rpc, truth, cluster.accounts().subList(0, 2), ledger,
                        MAX_AGE).start(READERS);
                try {
                    for (int i = 0; i < phases.size(); i++) {
                        proxies.forEach(FaultProxy::clearFaults);
                        phases.get(i).faults().accept(proxies);
                        if (i > 0) {
                            ledger.begin(phases.get(i).name());
                        }
                        sleep(phase);
                    }
                } finally {
                    readers.close();
                    wallet.close();
                    proxies.forEach(FaultProxy::clearFaults);
                }
            }
            String table = report(providers, ledger.phases(), cluster);
            System.out.println(table);
            Path out = Path.of("target", "scenario");
            Files.createDirectories(out);
            Files.writeString(out.resolve("one-honest-provider-" + label + ".txt"), table);

            assertSameChain(cluster);
            for (Tally t : ledger.phases()) {
                assertThat(t.reads()).as("reads in %s", t.phase()).isGreaterThan(20);
                assertThat(t.sends() + t.failedSends()).as("transfers in %s", t.phase()).isPositive();
                assertThat(t.failedSends()).as("failed sends in %s: %s", t.phase(), t.samples()).isZero();
                assertThat(t.wrong()).as("wrong values in %s: %s", t.phase(), t.samples()).isZero();
                assertThat(t.stale()).as("reads staler than %s in %s: %s", MAX_AGE, t.phase(), t.samples()).isZero();
            }
        }
    }

    /** Every node has the same block at the lowest head: the gossip handed each transaction over once. */
    private static void assertSameChain(GanacheCluster cluster) {
        List<String> hashes = new ArrayList<>();
        long lowest = Long.MAX_VALUE;
        for (URI node : cluster.nodeUris()) {
            try (JsonRpcClient client = new JsonRpcClient(node)) {
                lowest = Math.min(lowest, client.blockNumber());
            }
        }
        for (URI node : cluster.nodeUris()) {
            try (JsonRpcClient client = new JsonRpcClient(node)) {
                hashes.add(client.call("eth_getBlockByNumber", "0x" + Long.toHexString(lowest), false)
                        .path("hash").asText());
            }
        }
        assertThat(hashes).as("block %d on every node", lowest).containsOnly(hashes.get(0));
    }

    private static String report(int providers, List<Tally> phases, GanacheCluster cluster) {
        StringBuilder sb = new StringBuilder();
        sb.append("One honest provider: ").append(providers).append(" ganache providers, ").append(READERS)
          .append(" readers + a wallet sending each transfer once the last is mined; stale = replaced more than ")
          .append(MAX_AGE.toMillis()).append(" ms before the read began; gossip repeats answered by proxies: ")
          .append(cluster.gossip().repeatsAnswered()).append('\n');
        sb.append(Tally.header()).append('\n');
        phases.forEach(t -> sb.append(t.row()).append('\n'));
        for (Tally t : phases) {
            t.samples().stream().limit(8).forEach(x -> sb.append("  ").append(t.phase()).append(": ").append(x)
                    .append('\n'));
        }
        return sb.toString();
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
