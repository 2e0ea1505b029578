package dev.outlast.testing;

import static org.awaitility.Awaitility.await;

import dev.outlast.drill.FaultProxy;
import dev.outlast.drill.sim.DevAccount;
import dev.outlast.drill.sim.DevAccounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * N real ganache nodes with identical chains (same genesis, same deterministic accounts, same
 * timestamps, so the same block hashes for the same transactions), each behind its own
 * {@link FaultProxy}, optionally joined by {@link Gossip}.
 *
 * <p>Nodes listen on free loopback ports, started in parallel, and are ready when they answer
 * {@code eth_blockNumber}. Their output goes to {@code target/ganache/}. {@link #close()} stops the
 * proxies and ends the processes (SIGTERM, then SIGKILL after {@link #GRACE}); a JVM shutdown hook
 * kills any node still running, so none outlives the test JVM. Installs ganache with {@code npm ci}
 * on first use if needed. A gossiping cluster starts at block 1: the wallet sender's first
 * transaction is mined on every node at start (see {@link #spendFirstNonce}). Thread-safe after
 * start.
 */
public final class GanacheCluster implements AutoCloseable {

    public static final long CHAIN_ID = 1337;
    /** The genesis time every node uses; blocks follow every 12 s of chain time. */
    public static final String GENESIS_TIME = "2025-01-01T00:00:00Z";
    public static final Duration GRACE = Duration.ofSeconds(3);
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }), "ganache-cluster-reaper"));
    }

    private final List<Node> nodes;
    private final List<FaultProxy> proxies;
    private final Gossip gossip;

    private record Node(Process process, URI uri, Path log) {
    }

    private GanacheCluster(List<Node> nodes, boolean withGossip) {
        this.nodes = List.copyOf(nodes);
        this.proxies = nodes.stream().map(n -> FaultProxy.start(n.uri(), 0)).toList();
        this.gossip = withGossip ? Gossip.connect(proxies, nodeUris()) : null;
    }

    /** Starts {@code size} nodes, each behind a fault proxy, without gossip. */
    public static GanacheCluster start(int size) {
        return start(size, false);
    }

    /** Starts {@code size} nodes whose proxies gossip chain-changing requests to the other nodes. */
    public static GanacheCluster startWithGossip(int size) {
        return start(size, true);
    }

    private static GanacheCluster start(int size, boolean withGossip) {
        if (size < 1) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 1)");
        }
        Path cli = GanacheInstall.cli();
        List<Integer> ports = freePorts(size);
        List<Node> nodes = new ArrayList<>();
        RuntimeException failure = null;
        try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Node>> starting = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int index = i;
                starting.add(CompletableFuture.supplyAsync(() -> startNode(cli, index, ports.get(index)), starter));
            }
            for (CompletableFuture<Node> f : starting) {
                try {
                    nodes.add(f.join());
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (failure != null) {
            nodes.forEach(GanacheCluster::stop);
            throw failure;
        }
        GanacheCluster cluster = new GanacheCluster(nodes, withGossip);
        if (withGossip) {
            try {
                cluster.spendFirstNonce(cluster.accounts().get(0));
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
        }
        return cluster;
    }

    /**
     * Mines {@code account}'s nonce-0 transaction (1 wei to the next account) once on every node,
     * sent to each node directly. Ganache 7.9.2 can mine an account's first transaction a second
     * time when the same signed transaction reaches the node again after it was mined (its log
     * shows the one hash in blocks 1 and 2, in 9 of 15 fresh clusters; later nonces are refused as
     * "the tx doesn't have the correct nonce", as a real node does). With gossip every node sees
     * a transfer several times (Outlast broadcasts it to each provider, the gossip relays it), so
     * the first transfer of a wallet load could count twice, and a nonce read between the two
     * minings was taken by the second one: a refused transfer about one run in six. The wallet's
     * sender ({@code accounts().get(0)}, see {@link WalletLoad}) therefore starts at nonce 1.
     */
    private void spendFirstNonce(DevAccount account) {
        RawTransaction tx = RawTransaction.createEtherTransaction(BigInteger.ZERO, BigInteger.valueOf(20_000_000_000L),
                BigInteger.valueOf(21_000), accounts().get(1).address(), BigInteger.ONE);
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, CHAIN_ID, account.credentials()));
        for (Node node : nodes) {
            try (JsonRpcClient client = new JsonRpcClient(node.uri(), Duration.ofSeconds(10))) {
                client.call("eth_sendRawTransaction", raw);
                long nonce = client.quantity("eth_getTransactionCount", account.address(), "latest").longValueExact();
                if (nonce != 1) {
                    throw new IllegalStateException("node " + node.uri() + ": nonce of " + account.address()
                            + " is " + nonce + " after its first transaction (expected: 1)");
                }
            }
        }
    }

    public int size() {
        return nodes.size();
    }

    /** Node {@code i} itself, bypassing its proxy: the truth, free of faults and gossip. */
    public URI nodeUri(int i) {
        return nodes.get(i).uri();
    }

    public List<URI> nodeUris() {
        return nodes.stream().map(Node::uri).toList();
    }

    /** The fault proxy in front of node {@code i}. */
    public FaultProxy proxy(int i) {
        return proxies.get(i);
    }

    /** The URI clients use for node {@code i}: its proxy's (gossiped when the cluster gossips). */
    public URI proxyUri(int i) {
        return proxies.get(i).uri();
    }

    public List<URI> proxyUris() {
        return proxies.stream().map(FaultProxy::uri).toList();
    }

    /** The funded accounts every node shares, with their private keys. */
    public List<DevAccount> accounts() {
        return DevAccounts.ganache();
    }

    /** The gossip between the nodes, or null for a cluster started without it. */
    public Gossip gossip() {
        return gossip;
    }

    /** Stops the proxies and the nodes, waiting for each process to end. */
    @Override
    public void close() {
        proxies.forEach(FaultProxy::close);
        if (gossip != null) {
            gossip.close();
        }
        nodes.forEach(n -> n.process().destroy());
        nodes.forEach(GanacheCluster::stop);
    }

    private static Node startNode(Path cli, int index, int port) {
        Path log = Path.of("target", "ganache", "node-" + index + "-" + port + ".log").toAbsolutePath();
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder("node", cli.toString(),
                    "--server.host", "127.0.0.1", "--server.port", Integer.toString(port),
                    "--wallet.deterministic", "--chain.chainId", Long.toString(CHAIN_ID),
                    "--chain.time", GENESIS_TIME, "--miner.timestampIncrement", "12", "--logging.quiet")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ganache (is Node.js installed?)", e);
        }
        LIVE.add(process);
        Node node = new Node(process, URI.create("http://127.0.0.1:" + port + "/"), log);
        try (JsonRpcClient client = new JsonRpcClient(node.uri(), Duration.ofSeconds(2))) {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("exited");
                        }
                        return client.blockNumber() >= 0;
                    });
        } catch (ConditionTimeoutException e) {
            stop(node);
            throw new IllegalStateException("ganache on port " + port + " did not answer within " + START_TIMEOUT
                    + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; log: " + tail(log), e);
        }
        return node;
    }

    private static void stop(Node node) {
        Process p = node.process();
        try {
            p.destroy();
            if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(p);
        }
    }

    /** Free loopback ports, all held open at once so that they differ, then released. */
    private static List<Integer> freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // released anyway
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
