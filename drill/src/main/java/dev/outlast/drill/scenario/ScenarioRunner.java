package dev.outlast.drill.scenario;

import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.drill.FaultProxy;
import dev.outlast.drill.scenario.internal.HeadWatch;
import dev.outlast.drill.scenario.internal.Ledger;
import dev.outlast.drill.scenario.internal.Recorder;
import dev.outlast.drill.scenario.internal.WalletLoad;
import dev.outlast.drill.sim.DevAccount;
import dev.outlast.drill.sim.SimulatedChain;
import dev.outlast.health.HealthState;
import dev.outlast.routing.Chain;
import dev.outlast.server.OutlastServer;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Plays {@link Scenario}s: a simulated chain, one simulated provider per scenario provider, each
 * behind a {@link FaultProxy}, and the gateway serving chain {@value #CHAIN} over the proxies. While
 * a scenario plays, the same wallet load runs through the gateway and directly against the first
 * provider's proxy (at the same time, so both face the same faults), and every answer is checked
 * against the chain's ledger.
 *
 * <p>Implementation note: the chain, providers, proxies and gateway are started once by
 * {@link #start} and reused by every {@link #play} (the demo loops one scenario). Before the first play
 * every watched account sends one transfer, so that no watched nonce is zero and a lie of
 * {@code 0x0} is always wrong. A request counts in the phase and second it started in; after the last
 * phase no request starts, and those in flight are waited for (at most the client timeout).
 *
 * <p>Lifecycle: {@link #start}, {@link #play} (one at a time), {@link #stop()} (from any thread: the
 * current play returns early), {@link #close()}.
 */
public final class ScenarioRunner implements AutoCloseable {

    /** The chain id the gateway serves, at {@code /rpc/devnet}. */
    public static final String CHAIN = "devnet";
    public static final long CHAIN_ID = SimulatedChain.DEFAULT_CHAIN_ID;
    /** The gateway's deadline for one request. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** How long the load's client waits for an answer: longer than the gateway's deadline. */
    public static final Duration CLIENT_TIMEOUT = REQUEST_TIMEOUT.plusSeconds(2);

    private static final Duration HEAD_POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final int WATCHED = 4;

    private final Scenario shape;
    private final SimulatedChain chain;
    private final List<FaultProxy> proxies;
    private final OutlastConfig config;
    private volatile OutlastServer server;
    private final String baseUrl;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ScenarioRunner(Scenario shape, SimulatedChain chain, List<FaultProxy> proxies, OutlastConfig config,
                           OutlastServer server, String baseUrl) {
        this.shape = shape;
        this.config = config;
        this.chain = chain;
        this.proxies = proxies;
        this.server = server;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts what {@code scenario} needs (its providers and block interval) with the gateway on
     * {@code host:port} (0: a free port). On failure, e.g. the port is taken, closes what it started
     * and rethrows.
     */
    public static ScenarioRunner start(Scenario scenario, String host, int port) {
        SimulatedChain chain = SimulatedChain.builder().chainId(CHAIN_ID).blockInterval(scenario.blockInterval())
                .build();
        List<FaultProxy> proxies = new ArrayList<>();
        try {
            List<UpstreamConfig> upstreams = new ArrayList<>();
            for (String name : scenario.providers()) {
                FaultProxy proxy = FaultProxy.start(chain.startProvider().uri(), 0);
                proxies.add(proxy);
                // the socket is relayed by the proxy too (untouched by its fault list): its newHeads
                // make Outlast poll the provider's head sooner
                upstreams.add(new UpstreamConfig(name, proxy.uri()).withWs(proxy.wsUri()));
            }
            ChainConfig devnet = new ChainConfig(CHAIN, CHAIN_ID, upstreams, REQUEST_TIMEOUT, HEAD_POLL_INTERVAL,
                    ChainConfig.DEFAULT_CHAIN_ID_CHECK_INTERVAL, ChainConfig.DEFAULT_MAX_LAG_BLOCKS,
                    ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of());
            OutlastServer server = OutlastServer.start(new OutlastConfig(ServerConfig.of(host, port), List.of(devnet)));
            String hostForUrl = host.indexOf(':') >= 0 ? '[' + host + ']' : host;
            fundNonces(chain);
            OutlastConfig bound = new OutlastConfig(ServerConfig.of(host, server.port()), List.of(devnet));
            return new ScenarioRunner(scenario, chain, List.copyOf(proxies), bound, server,
                    "http://" + hostForUrl + ':' + server.port());
        } catch (RuntimeException e) {
            proxies.forEach(FaultProxy::close);
            chain.close();
            throw e;
        }
    }

    /** {@code http://host:port} of the gateway, with the port actually bound. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The gateway's JSON-RPC URL. */
    public URI rpcUri() {
        return URI.create(baseUrl + "/rpc/" + CHAIN);
    }

    /** The simulated chain. */
    public SimulatedChain chain() {
        return chain;
    }

    /** The fault proxies, in provider order. */
    public List<FaultProxy> proxies() {
        return proxies;
    }

    /** Each upstream's state as the gateway sees it, e.g. {@code alpha healthy}. */
    public List<String> upstreamStates() {
        return gatewayChain().upstreams().stream().map(u -> u.name() + " " + u.health().state().label()).toList();
    }

    /**
     * Plays {@code scenario}, which must have the providers this runner was started for, and returns
     * what the load saw. Returns early, with {@link ScenarioResult#complete()} false, after
     * {@link #stop()} or an interrupt.
     */
    public ScenarioResult play(Scenario scenario, ScenarioListener listener) {
        if (!scenario.providers().equals(shape.providers())) {
            throw new IllegalArgumentException("providers: " + scenario.providers() + " (expected: "
                    + shape.providers() + ", what this runner started)");
        }
        boolean complete = awaitReady();
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        Recorder outlast = new Recorder(start);
        Recorder direct = new Recorder(start);
        Ledger ledger = new Ledger(chain, slackBlocks(scenario));
        List<String> watched = chain.accounts().subList(0, WATCHED).stream().map(DevAccount::address).toList();
        String recipient = chain.accounts().getLast().address();
        List<Integer> phaseStarts = new ArrayList<>();
        int played = 0;
        HeadStats heads;
        try (HeadWatch headWatch = new HeadWatch(URI.create(baseUrl.replaceFirst("^http", "ws") + "/rpc/" + CHAIN));
             WalletLoad through = new WalletLoad(plan("outlast", rpcUri(), watched, 0, recipient, scenario), ledger,
                outlast);
             WalletLoad straight = new WalletLoad(plan("direct", proxies.getFirst().uri(), watched, 1, recipient,
                     scenario), ledger, direct)) {
            for (int i = 0; complete && i < scenario.phases().size(); i++) {
                Scenario.Phase phase = scenario.phases().get(i);
                setFaults(phase);
                outlast.phase(i);
                direct.phase(i);
                phaseStarts.add((int) ((System.nanoTime() - start) / 1_000_000_000L));
                if (i == 0) {
                    through.start();
                    straight.start();
                }
                listener.phaseStarted(scenario, i);
                complete = playPhase(scenario, i, listener, outlast, direct);
                played++;
                listener.phaseEnded(scenario, i, new PhaseResult(phase, outlast.phaseStats(i), direct.phaseStats(i)));
            }
            through.stop();
            straight.stop();
            awaitIdle(through, straight);
            heads = headWatch.stats();
        } finally {
            proxies.forEach(FaultProxy::clearFaults);
        }
        List<PhaseResult> phases = new ArrayList<>();
        for (int i = 0; i < played; i++) {
            phases.add(new PhaseResult(scenario.phases().get(i), outlast.phaseStats(i), direct.phaseStats(i)));
        }
        int last = (int) ((System.nanoTime() - start) / 1_000_000_000L);
        return new ScenarioResult(scenario, startedAt, phases, phaseStarts, outlast.timeline(last),
                direct.timeline(last), outlast.totalStats(), direct.totalStats(), complete, heads);
    }

    /**
     * Replaces the gateway by a fresh one on the same address, forgetting what the old one learnt
     * (quarantines, backoffs). The demo does this between rounds: a provider quarantined for lying
     * stays quarantined for minutes, longer for each repeat offence, and the next round would
     * otherwise start with it still distrusted. Not during a {@link #play}.
     */
    public synchronized void restartGateway() {
        server.close();
        server = OutlastServer.start(config);
    }

    /** Makes the current (and any later) {@link #play} return soon; safe from any thread. */
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

    private boolean playPhase(Scenario scenario, int index, ScenarioListener listener, Recorder outlast,
                              Recorder direct) {
        Scenario.Phase phase = scenario.phases().get(index);
        long begin = System.nanoTime();
        long end = begin + phase.duration().toNanos();
        try {
            for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                if (stopped.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
                    return false;
                }
                listener.tick(new ScenarioListener.Progress(scenario, index,
                        (System.nanoTime() - begin + 500_000_000L) / 1_000_000_000L,
                        new PhaseResult(phase, outlast.phaseStats(index), direct.phaseStats(index)),
                        upstreamStates()));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void setFaults(Scenario.Phase phase) {
        for (int p = 0; p < proxies.size(); p++) {
            proxies.get(p).setFaults(phase.faultsOf(shape.providers().get(p)));
        }
    }

    private WalletLoad.Plan plan(String label, URI uri, List<String> watched, int sender, String recipient,
                                 Scenario scenario) {
        return new WalletLoad.Plan(label, uri, watched, chain.accounts().get(sender), recipient,
                scenario.load().readers(), scenario.load().transfersPerSecond(), CLIENT_TIMEOUT);
    }

    /**
     * How far behind the chain's head an answer may be and still be right: what the gateway's head
     * polling may trail by (a poll interval, plus a loaded machine's hiccup), in blocks, at least 2.
     */
    private static long slackBlocks(Scenario scenario) {
        long millis = Math.max(1, scenario.blockInterval().toMillis());
        return Math.max(2, (2_000 + millis - 1) / millis + 1);
    }

    private void awaitIdle(WalletLoad... loads) {
        try {
            for (WalletLoad load : loads) {
                load.awaitIdle(CLIENT_TIMEOUT.plusSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until every upstream is healthy and the gateway has a head; false if stopped. */
    private boolean awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Chain devnet = gatewayChain();
                if (devnet.servedHead() >= 0
                        && devnet.upstreams().stream().allMatch(u -> u.health().state() == HealthState.HEALTHY)) {
                    return true;
                }
                if (stopped.await(100, TimeUnit.MILLISECONDS)) {
                    return false;
                }
            }
            return stopped.getCount() > 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Chain gatewayChain() {
        return server.chains().get(CHAIN);
    }

    /** One transfer from each watched account, mined at once: no watched nonce is zero. */
    private static void fundNonces(SimulatedChain chain) {
        String recipient = chain.accounts().getLast().address();
        for (DevAccount account : chain.accounts().subList(0, WATCHED)) {
            BigInteger nonce = chain.pendingAccount(account.address()).nonce();
            RawTransaction tx = RawTransaction.createEtherTransaction(nonce, BigInteger.valueOf(2_000_000_000L),
                    BigInteger.valueOf(SimulatedChain.TRANSFER_GAS), recipient, BigInteger.TEN.pow(15));
            chain.sendRawTransaction(Numeric.toHexString(
                    TransactionEncoder.signMessage(tx, chain.chainId(), account.credentials())));
        }
        chain.mine();
    }
}
