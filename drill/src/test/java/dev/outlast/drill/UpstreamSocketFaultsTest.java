package dev.outlast.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.drill.scenario.HeadStats;
import dev.outlast.drill.scenario.internal.HeadWatch;
import dev.outlast.drill.sim.SimulatedChain;
import dev.outlast.server.OutlastServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Upstream sockets relayed by fault proxies over the simulated chain: while one provider's socket
 * is closed, another's stalls, a third's lags and then the first provider stops altogether, a
 * client's {@code newHeads} subscription through Outlast gets every block once, in order, and
 * Outlast opens the closed and stalled sockets again.
 */
class UpstreamSocketFaultsTest {

    @Test
    void aClientSeesNoGapWhileUpstreamSocketsCloseStallLagAndStop() throws Exception {
        try (SimulatedChain chain = SimulatedChain.builder().blockInterval(Duration.ofMillis(200)).build()) {
            List<FaultProxy> proxies = new ArrayList<>();
            List<UpstreamConfig> upstreams = new ArrayList<>();
            String[] names = {"alpha", "beta", "gamma"};
            for (String name : names) {
                FaultProxy proxy = FaultProxy.start(chain.startProvider().uri(), 0);
                proxies.add(proxy);
                upstreams.add(new UpstreamConfig(name, proxy.uri()).withWs(proxy.wsUri()));
            }
            ChainConfig devnet = new ChainConfig("devnet", chain.chainId(), upstreams, Duration.ofSeconds(5),
                    Duration.ofMillis(250), Duration.ofMinutes(1), ChainConfig.DEFAULT_MAX_LAG_BLOCKS,
                    ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of());
            try (OutlastServer server = OutlastServer.start(new OutlastConfig(ServerConfig.of("127.0.0.1", 0),
                    List.of(devnet)))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> server.chains().get("devnet").isReady()
                        && metrics(server).contains("outlast_upstream_socket_open{chain=\"devnet\",upstream=\"gamma\"} 1.0")
                        && metrics(server).contains("outlast_upstream_socket_open{chain=\"devnet\",upstream=\"alpha\"} 1.0"));
                HeadStats stats;
                try (HeadWatch watch = new HeadWatch(URI.create("ws://127.0.0.1:" + server.port() + "/rpc/devnet"))) {
                    Thread.sleep(1000);
                    proxies.get(0).closeSockets();
                    Thread.sleep(1500);
                    proxies.get(1).stallSockets(true);
                    Thread.sleep(2500);
                    proxies.get(1).stallSockets(false);
                    proxies.get(2).delaySockets(Duration.ofMillis(600));
                    Thread.sleep(1500);
                    // alpha stops: its socket goes and its HTTP endpoint resets every connection
                    proxies.get(0).setFault(Fault.reset());
                    proxies.get(0).closeSockets();
                    Thread.sleep(1500);
                    stats = watch.stats();
                }
                String m = metrics(server);
                assertThat(stats.clean()).as(stats.line()).isTrue();
                assertThat(stats.delivered()).as(stats.line()).isGreaterThan(25);
                assertThat(m).contains("outlast_upstream_socket_reopens_total{chain=\"devnet\",reason=\"closed\","
                        + "upstream=\"alpha\"}");
                assertThat(m).contains("outlast_upstream_socket_reopens_total{chain=\"devnet\",reason=\"stalled\","
                        + "upstream=\"beta\"}");
            } finally {
                proxies.forEach(FaultProxy::close);
            }
        }
    }

    private static String metrics(OutlastServer server) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
