package dev.outlast.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.drill.internal.ActiveFaults;
import dev.outlast.drill.internal.Connection;
import dev.outlast.drill.internal.ControlApi;
import dev.outlast.drill.internal.ProxyHandler;
import dev.outlast.drill.internal.SocketTunnels;
import dev.outlast.drill.internal.Upstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * An HTTP/1.1 proxy in front of one JSON-RPC upstream that fails the way real vendors fail, with
 * {@link Fault}s switchable at runtime.
 *
 * <p>Listens on the loopback address unless given another. Every request except the control API's is forwarded to the
 * target URL (whatever its path) with a keep-alive client; clients may keep their connections alive
 * too. With no fault set the proxy is transparent: status, body and end-to-end headers pass
 * unchanged. If the upstream cannot be reached, the proxy answers {@code 502} with
 * {@code x-drill-proxy: upstream-error}. A WebSocket upgrade is relayed to the target untouched by
 * the fault list; {@link #closeSockets()}, {@link #stallSockets} and {@link #delaySockets} fail
 * such sockets instead.
 *
 * <h2>Control API</h2>
 * On the same port, not forwarded:
 * <ul>
 *   <li>{@code GET /_drill/faults} — the current list, as a JSON array;</li>
 *   <li>{@code PUT /_drill/faults} — replaces the list with the JSON array (or single object) in the
 *       body; answers the new list, or {@code 400 {"error": "..."}} naming the bad element;</li>
 *   <li>{@code DELETE /_drill/faults} — clears the list ({@code 204}).</li>
 *   <li>{@code GET} / {@code PUT /_drill/sockets} — the relayed WebSockets' faults,
 *       {@code {"stalled": true, "delayMs": 500}};</li>
 *   <li>{@code POST /_drill/sockets/close} — closes every relayed WebSocket.</li>
 * </ul>
 * Each fault is a JSON object with a {@code type}, its fields and an optional {@code p} (default 1):
 * <pre>
 * [{"type":"cloudflare","status":522},
 *  {"type":"http","status":503,"headers":{"server":"awselb/2.0"},"body":"..."},
 *  {"type":"rate_limit","retryAfterSeconds":5},
 *  {"type":"error_rate","status":503,"p":0.2},
 *  {"type":"latency","delayMs":200,"jitterMs":50},
 *  {"type":"reset"}, {"type":"black_hole"},
 *  {"type":"bad_body","kind":"not_json"},        (or "truncated")
 *  {"type":"lie","methods":["eth_getBalance"]},  (default: eth_getBalance, eth_getTransactionCount)
 *  {"type":"lag","blocks":5},
 *  {"type":"wrong_chain","chainId":1}]
 * </pre>
 * See {@link Fault} for how a list combines and {@link FaultJson} for the codec.
 *
 * <p>Implementation: plain sockets with a virtual thread per connection, because the transport
 * faults need what an HTTP framework hides: a reset is {@code SO_LINGER 0} and close (a real TCP
 * RST), a black hole reads the request and never writes.
 *
 * <p>Thread-safe: faults and observers may change while requests are in flight; a request uses the
 * fault list current when it arrived.
 */
public final class FaultProxy implements AutoCloseable {

    /** How long the proxy waits for the upstream's answer before answering 502. */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(30);

    private final ServerSocket server;
    private final Upstream upstream;
    private final ProxyHandler handler;
    private final SocketTunnels tunnels;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final AtomicLong accepted = new AtomicLong();
    private volatile ActiveFaults faults = ActiveFaults.NONE;
    private volatile boolean closed;

    private FaultProxy(URI target, InetSocketAddress listen, RandomGenerator random) throws IOException {
        this.upstream = new Upstream(target, DEFAULT_UPSTREAM_TIMEOUT);
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(listen, 512);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.tunnels = new SocketTunnels(target);
        ControlApi control = new ControlApi(this::faults, this::setFaults, tunnels);
        this.handler = new ProxyHandler(upstream, () -> faults, control, random);
        this.acceptor = Thread.ofPlatform().name("fault-proxy-" + server.getLocalPort()).daemon()
                .start(this::acceptLoop);
    }

    /**
     * Starts a proxy for {@code target} on {@code listenPort} of the loopback address (0: a free
     * port), with no fault set.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static FaultProxy start(URI target, int listenPort) {
        return start(target, listenPort, new SplittableRandom());
    }

    /** Like {@link #start(URI, int)}, rolling fault probabilities with {@code random} (for repeatable runs). */
    public static FaultProxy start(URI target, int listenPort, RandomGenerator random) {
        return start(target, new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), random);
    }

    /**
     * Starts a proxy for {@code target} on {@code listen} (port 0: a free port), with no fault set.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static FaultProxy start(URI target, InetSocketAddress listen) {
        return start(target, listen, new SplittableRandom());
    }

    private static FaultProxy start(URI target, InetSocketAddress listen, RandomGenerator random) {
        try {
            return new FaultProxy(target, listen, new LockedRandom(random));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + listen, e);
        }
    }

    /** The URI clients use: {@code http://127.0.0.1:<port>/} (or the bound address; IPv6 in brackets). */
    public URI uri() {
        String host = server.getInetAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host.replaceFirst("%.*$", "") + "]";
        }
        return URI.create("http://" + host + ":" + server.getLocalPort() + "/");
    }

    /** The bound port. */
    public int port() {
        return server.getLocalPort();
    }

    /** The WebSocket URL clients use: {@code ws://127.0.0.1:<port>/}; upgrades are relayed to the target. */
    public URI wsUri() {
        return URI.create(uri().toString().replaceFirst("^http", "ws"));
    }

    /**
     * Closes every WebSocket relayed now: each client sees its connection end without a close frame,
     * as when a provider's socket server restarts. New upgrades are relayed as before.
     */
    public void closeSockets() {
        tunnels.closeAll();
    }

    /**
     * Stalls ({@code true}) every relayed WebSocket: connected, and nothing the target sends passes
     * until the stall ends (then what was held flows). Upgrades still succeed.
     */
    public void stallSockets(boolean stalled) {
        tunnels.stall(stalled);
    }

    /** Holds each chunk a target's WebSocket sends for {@code delay} (zero: none): a socket that lags. */
    public void delaySockets(Duration delay) {
        tunnels.delay(delay);
    }

    /** How many client connections the proxy has accepted so far (to check that clients keep them alive). */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** Replaces the fault list with {@code fault} alone. */
    public void setFault(Fault fault) {
        setFaults(List.of(fault));
    }

    /**
     * Replaces the fault list. A {@link Fault.Lag} freezes its head now (one {@code eth_blockNumber}
     * to the upstream), or at the first request if the upstream does not answer.
     */
    public void setFaults(List<Fault> newFaults) {
        faults = ActiveFaults.arm(newFaults, upstream);
    }

    /** The current fault list. */
    public List<Fault> faults() {
        return faults.faults();
    }

    /** Removes every fault: the proxy becomes transparent. */
    public void clearFaults() {
        faults = ActiveFaults.NONE;
    }

    /**
     * Calls {@code observer} with each JSON-RPC request body (object or batch array, after rewrites)
     * that the upstream answered with a 2xx, on the request's thread, before the client gets the
     * answer. An observer that throws is logged and ignored.
     */
    public FaultProxy onRequest(Consumer<JsonNode> observer) {
        handler.addObserver(observer);
        return this;
    }

    /**
     * Forwards requests matching {@code which}, and runs their observers, while holding {@code lock}.
     * Several proxies sharing one lock thus apply such requests, and their side effects, in one order
     * (the gossip between test nodes relies on it).
     */
    public FaultProxy serializeForwarding(Lock lock, Predicate<JsonNode> which) {
        handler.serializeWith(new ProxyHandler.Serializer(lock, which, null));
        return this;
    }

    /**
     * Like {@link #serializeForwarding(Lock, Predicate)}, and under the lock {@code filter} answers
     * the calls it knows the answer to (see {@link CallFilter}); observers see only what was forwarded.
     */
    public FaultProxy serializeForwarding(Lock lock, Predicate<JsonNode> which, CallFilter filter) {
        handler.serializeWith(new ProxyHandler.Serializer(lock, which, filter));
        return this;
    }

    /** Stops listening, closes every connection (black holes included) and waits for the acceptor. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        upstream.close();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            sockets.add(socket);
            accepted.incrementAndGet();
            if (closed) {
                closeQuietly(socket);
                return;
            }
            Thread.ofVirtual().name("fault-proxy-conn-" + socket.getPort())
                    .start(new Connection(socket, handler, tunnels, () -> sockets.remove(socket)));
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closing
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + uri() + " -> " + upstream.target().getHost() + ", faults=" + faults() + "]";
    }

    /** Serializes a non-thread-safe generator; fault rolls are rare enough for a lock. */
    private record LockedRandom(RandomGenerator delegate) implements RandomGenerator {
        @Override
        public synchronized long nextLong() {
            return delegate.nextLong();
        }
    }
}
