package dev.outlast.drill.sim;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.websocket.WebSocketService;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One JSON-RPC face of a {@link SimulatedChain}: an Armeria HTTP server on the loopback address that
 * answers {@code POST} JSON-RPC (single and batch) on any path from the shared ledger, and the same
 * over a WebSocket on any path, with {@code newHeads} and {@code newPendingTransactions}
 * subscriptions ({@link #wsUri()}). Calls run on
 * Armeria's blocking executor (signature recovery is CPU work). Thread-safe.
 */
public final class SimulatedProvider implements AutoCloseable {

    private final Server server;

    private SimulatedProvider(Server server) {
        this.server = server;
    }

    /** Starts a face of {@code chain} on {@code port} (0: a free port); returns once it listens. */
    public static SimulatedProvider start(SimulatedChain chain, int port) {
        ChainRpc rpc = new ChainRpc(chain);
        SimSockets sockets = new SimSockets(chain, rpc);
        HttpService http = (ctx, req) -> {
            if (!req.method().name().equals("POST")) {
                return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
                        "JSON-RPC over POST or a WebSocket only");
            }
            return HttpResponse.of(req.aggregate().thenApplyAsync(
                    body -> HttpResponse.of(HttpStatus.OK, MediaType.JSON,
                            rpc.handle(body.content().array()).toString()),
                    ctx.blockingTaskExecutor()));
        };
        Server server = Server.builder()
                .http(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .connectionDrainDuration(Duration.ZERO)
                .serviceUnder("/", WebSocketService.builder(sockets).fallbackService(http)
                        .allowedOrigins("*").build())
                .build();
        server.start().join();
        return new SimulatedProvider(server);
    }

    /** The URL clients use: {@code http://127.0.0.1:<port>/}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    /** The WebSocket URL: {@code ws://127.0.0.1:<port>/}. */
    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/");
    }

    public int port() {
        return server.activeLocalPort();
    }

    /**
     * Stops the server: returns once the port no longer accepts connections (at most 5 s). The rest
     * of Armeria's shutdown (its boss event loop's fixed 2 s quiet period) finishes in the background.
     */
    @Override
    public void close() {
        var stopped = server.stop();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!server.activePorts().isEmpty() && !stopped.isDone() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }
}
