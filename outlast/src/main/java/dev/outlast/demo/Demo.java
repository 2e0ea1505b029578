package dev.outlast.demo;

import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.drill.FaultProxy;
import dev.outlast.drill.sim.DevAccount;
import dev.outlast.drill.sim.SimulatedChain;
import dev.outlast.health.HealthState;
import dev.outlast.routing.Chain;
import dev.outlast.server.OutlastServer;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code outlast demo}: a simulated chain (id {@value #CHAIN_ID}, a block every 2 s) served by three
 * providers, {@code alpha}, {@code beta} and {@code gamma}, each behind a {@link FaultProxy}, and the
 * gateway serving chain {@code devnet} over the three proxies. {@link #run} plays {@link Phase#SCRIPT}
 * while a {@link ReadLoad} reads through the gateway and directly from alpha, printing one status line
 * a second and one summary line per phase.
 *
 * <p>Lifecycle: {@link #start}, {@link #run} (on one thread), {@link #stop()} (from any thread, e.g. a
 * shutdown hook) makes {@code run} return, {@link #close()} closes everything. Not otherwise
 * thread-safe.
 */
public final class Demo implements AutoCloseable {

    /** The simulated chain's EIP-155 id. */
    public static final long CHAIN_ID = 1337;
    /** The default time each phase of the script lasts. */
    public static final Duration DEFAULT_PHASE_LENGTH = Duration.ofSeconds(10);

    private static final List<String> NAMES = List.of("alpha", "beta", "gamma");
    private static final Duration BLOCK_INTERVAL = Duration.ofSeconds(2);
    private static final Duration HEAD_POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final SimulatedChain chain;
    private final List<FaultProxy> proxies;
    private final OutlastServer server;
    private final String baseUrl;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Demo(SimulatedChain chain, List<FaultProxy> proxies, OutlastServer server, String baseUrl) {
        this.chain = chain;
        this.proxies = proxies;
        this.server = server;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts the chain, providers, proxies and the gateway listening on {@code host:port} (0: a free
     * port). On failure (e.g. the port is taken) closes what it started and rethrows.
     */
    public static Demo start(String host, int port) {
        SimulatedChain chain = SimulatedChain.builder().chainId(CHAIN_ID).blockInterval(BLOCK_INTERVAL).build();
        List<FaultProxy> proxies = new ArrayList<>();
        try {
            List<UpstreamConfig> upstreams = new ArrayList<>();
            for (String name : NAMES) {
                FaultProxy proxy = FaultProxy.start(chain.startProvider().uri(), 0);
                proxies.add(proxy);
                upstreams.add(new UpstreamConfig(name, proxy.uri()));
            }
            ChainConfig devnet = new ChainConfig("devnet", CHAIN_ID, upstreams, ChainConfig.DEFAULT_REQUEST_TIMEOUT,
                    HEAD_POLL_INTERVAL, ChainConfig.DEFAULT_CHAIN_ID_CHECK_INTERVAL, ChainConfig.DEFAULT_MAX_LAG_BLOCKS,
                    ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of());
            OutlastServer server = OutlastServer.start(new OutlastConfig(ServerConfig.of(host, port), List.of(devnet)));
            String hostForUrl = host.indexOf(':') >= 0 ? '[' + host + ']' : host;
            return new Demo(chain, List.copyOf(proxies), server, "http://" + hostForUrl + ':' + server.port());
        } catch (RuntimeException e) {
            proxies.forEach(FaultProxy::close);
            chain.close();
            throw e;
        }
    }

    /** {@code http://host:port}, with the port actually bound. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Prints what runs, the URLs to look at and a request to try. */
    public void printIntro(PrintWriter out) {
        DevAccount first = chain.accounts().getFirst();
        out.println("Outlast demo: a simulated chain (id " + CHAIN_ID + ", a block every 2 s) served by three "
                    + "providers, alpha, beta and gamma, each behind a fault proxy; Outlast in front of all three.");
        out.println("RPC URL:   " + baseUrl + "/rpc/devnet");
        out.println("Status:    " + baseUrl + "/status");
        out.println("Upstreams: " + baseUrl + "/api/v1/upstreams");
        out.println("Metrics:   " + baseUrl + "/metrics");
        out.println("Try:       curl -s -H 'content-type: application/json' " + baseUrl + "/rpc/devnet -d '{\"jsonrpc\":"
                    + "\"2.0\",\"id\":1,\"method\":\"eth_getBalance\",\"params\":[\"" + first.address()
                    + "\",\"latest\"]}'");
        out.println("Faults:    " + NAMES.stream().map(n -> n + " " + proxies.get(NAMES.indexOf(n)).uri() + "_drill/faults")
                .collect(Collectors.joining(", ")) + " (the script overwrites alpha's and beta's each phase)");
        out.println("A client reads balances, nonces and the block number through Outlast and directly from alpha, "
                    + "and checks every answer against the chain. Ctrl-C to stop.");
        out.flush();
    }

    /**
     * Plays the script {@code cycles} times (0: until {@link #stop()}), each phase for
     * {@code phaseLength}. Returns when done, stopped or interrupted.
     */
    public void run(PrintWriter out, int cycles, Duration phaseLength) {
        List<DevAccount> watched = chain.accounts().subList(0, 3);
        Transfers transfers = new Transfers(chain, watched, chain.accounts().getLast().address());
        int total = cycles * Phase.SCRIPT.size();
        try {
            awaitHealthy(out);
            setFaults(phase(0));
            header(out, 0);
            ReadLoad.Tallies tallies = new ReadLoad.Tallies(new Tally(), new Tally());
            try (ReadLoad load = new ReadLoad(chain, watched.stream().map(DevAccount::address).toList(), tallies)
                    .start(URI.create(baseUrl + "/rpc/devnet"), ReadLoad.Tallies::outlast, 2)
                    .start(proxies.getFirst().uri(), ReadLoad.Tallies::direct, 2)) {
                for (int n = 0; total == 0 || n < total; n++) {
                    if (!play(out, phase(n), tallies, phaseLength, transfers)) {
                        return;
                    }
                    ReadLoad.Tallies done = tallies;
                    tallies = new ReadLoad.Tallies(new Tally(), new Tally());
                    boolean more = total == 0 || n + 1 < total;
                    setFaults(more ? phase(n + 1) : phase(0));
                    load.switchTo(tallies);
                    summarize(out, phase(n), done);
                    if (more) {
                        header(out, n + 1);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes {@link #run} return soon; safe from any thread. */
    public void stop() {
        stopped.countDown();
    }

    /** Closes the gateway, the proxies and the chain with its providers. */
    @Override
    public void close() {
        stop();
        server.close();
        proxies.forEach(FaultProxy::close);
        chain.close();
    }

    private static Phase phase(int n) {
        return Phase.SCRIPT.get(n % Phase.SCRIPT.size());
    }

    private static void header(PrintWriter out, int n) {
        int size = Phase.SCRIPT.size();
        out.printf("== cycle %d, phase %d/%d [%s]: %s%n", n / size + 1, n % size + 1, size, phase(n).name(),
                   phase(n).story());
        out.flush();
    }

    private void setFaults(Phase phase) {
        proxies.get(0).setFaults(phase.alpha().faults());
        proxies.get(1).setFaults(phase.beta().faults());
    }

    /** One status line a second until the phase is over; false if stopped. */
    private boolean play(PrintWriter out, Phase phase, ReadLoad.Tallies tallies, Duration length, Transfers transfers)
            throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        for (long left = length.toNanos(); left > 0; left = end - System.nanoTime()) {
            if (stopped.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
                return false;
            }
            transfers.sendOne();
            out.println("[" + phase.name() + "] " + phase.faultsLine() + " | through outlast: " + tallies.outlast()
                        + " | direct to alpha: " + tallies.direct() + " | upstreams: " + upstreamStates());
            out.flush();
        }
        return true;
    }

    /** Waits for the phase's requests still in flight, then prints its totals. */
    private void summarize(PrintWriter out, Phase phase, ReadLoad.Tallies tallies) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (tallies.outlast().inFlight() + tallies.direct().inFlight() > 0 && System.nanoTime() < deadline) {
            if (stopped.await(20, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        out.println("[" + phase.name() + "] end of phase: through outlast: " + tallies.outlast()
                    + " | direct to alpha: " + tallies.direct());
        out.flush();
    }

    private void awaitHealthy(PrintWriter out) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!allHealthy() && System.nanoTime() < deadline) {
            if (stopped.await(100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        out.println("upstreams: " + upstreamStates());
        out.flush();
    }

    private boolean allHealthy() {
        Chain devnet = server.chains().get("devnet");
        return devnet.servedHead() >= 0
               && devnet.upstreams().stream().allMatch(u -> u.health().state() == HealthState.HEALTHY);
    }

    private String upstreamStates() {
        return server.chains().get("devnet").upstreams().stream()
                .map(u -> u.name() + " " + u.health().state().label())
                .collect(Collectors.joining(", "));
    }
}
