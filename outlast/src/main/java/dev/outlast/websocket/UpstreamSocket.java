package dev.outlast.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.client.websocket.WebSocketClient;
import com.linecorp.armeria.client.websocket.WebSocketSession;
import com.linecorp.armeria.common.websocket.WebSocket;
import com.linecorp.armeria.common.websocket.WebSocketCloseStatus;
import com.linecorp.armeria.common.websocket.WebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketWriter;
import dev.outlast.routing.Chain;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.rpc.Quantity;
import dev.outlast.subscription.PendingFeed;
import dev.outlast.upstream.UrlRedactor;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket held open to one upstream's {@code ws:} URL. Its {@code newHeads} notifications make
 * the chain poll that upstream's head at once, so a new block is proven and served when the
 * upstream tells of it rather than at the next poll; while the chain's {@link PendingFeed} has
 * listeners, its {@code newPendingTransactions} notifications feed it.
 *
 * <h2>Implementation note</h2>
 * The socket is a hint, never a source of truth: the head it announces is polled over HTTP, where
 * reads go, and counted as any polled head (agreement, links, lag, honesty); blocks and logs are
 * read through the chain's routing. A provider whose socket works while its HTTP endpoint hangs
 * therefore does not look current. A poll asked for within the spacing of the last one
 * ({@link dev.outlast.routing.head.HeadTracker#refresh}) may have started before the block came: if
 * the polled head is still below the announced block {@value #RECHECK_MS} ms later, it is asked
 * again. A socket that closes, stalls or lies therefore costs latency, never a gap or a
 * wrong block. A socket that closes or fails to open is opened again after a pause (1 s, doubling
 * to 30 s, back to 1 s once a subscription is confirmed); an upstream that refuses
 * {@code eth_subscribe} is asked again after 5 minutes. A socket is <em>stalled</em> when the
 * upstream's polled head has been {@value #STALL_BLOCKS} or more blocks past the last block it
 * announced (or the polled head when it subscribed) for {@value #STALL_POLLS} head polls: it is
 * closed and opened again.
 *
 * <p>Thread-safe.
 */
final class UpstreamSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UpstreamSocket.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_FRAME = 16 * 1024 * 1024;
    static final long STALL_BLOCKS = 2;
    static final int STALL_POLLS = 3;
    static final long RECHECK_MS = 250;
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    private static final Duration REFUSED_PAUSE = Duration.ofMinutes(5);
    private static final int HEADS = 1;
    private static final int PENDING = 2;
    private static final int UNSUBSCRIBE = 3;

    private final Chain chain;
    private final ChainUpstream upstream;
    private final URI url;
    private final WebSocketClient client;
    private final ScheduledExecutorService timers;
    private final PendingFeed pending;
    private final Reopened reopened;
    private final ScheduledFuture<?> stallCheck;
    /** The newest block the socket announced, or the polled head it is measured from if higher; -1 before either. */
    private final AtomicLong announced = new AtomicLong(-1);
    private final Object lock = new Object();
    /** The socket's writer while one is open, else null. */
    private WebSocketWriter out;
    private String headsId;
    private String pendingId;
    private long pause = FIRST_PAUSE.toNanos();
    private int stalledPolls;
    private boolean closed;

    /** Counts sockets opened again, by why the last one ended: {@code closed}, {@code failed}, {@code stalled}. */
    interface Reopened {
        void reopened(String chain, String upstream, String reason);
    }

    UpstreamSocket(Chain chain, ChainUpstream upstream, URI url, ClientFactory factory,
                   ScheduledExecutorService timers, PendingFeed pending, Reopened reopened) {
        this.chain = chain;
        this.upstream = upstream;
        this.url = url;
        this.timers = timers;
        this.pending = pending;
        this.reopened = reopened;
        // HTTP/1.1 only: nodes' WebSocket servers (ganache's, geth's) do not take the HTTP/2 preface
        boolean tls = "wss".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        this.client = WebSocketClient.builder(tls ? SessionProtocol.H1 : SessionProtocol.H1C,
                        Endpoint.of(url.getHost(), port))
                .factory(factory)
                .maxFramePayloadLength(MAX_FRAME)
                .aggregateContinuation(true)
                .build();
        long poll = chain.config().headPollInterval().toNanos();
        this.stallCheck = timers.scheduleWithFixedDelay(this::checkStall, poll, poll, TimeUnit.NANOSECONDS);
    }

    /** Opens the socket. */
    void start() {
        open();
    }

    /** Whether a socket is open and its {@code newHeads} subscription confirmed. */
    boolean isOpen() {
        synchronized (lock) {
            return out != null && headsId != null;
        }
    }

    String chainId() {
        return chain.id();
    }

    String upstreamName() {
        return upstream.name();
    }

    private void open() {
        synchronized (lock) {
            if (closed || out != null) {
                return;
            }
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        client.connect(path).handle((WebSocketSession session, Throwable e) -> {
            if (e != null) {
                ended("failed", "could not open " + redacted() + ": " + e.getMessage(), false);
                return null;
            }
            WebSocketWriter writer = WebSocket.streaming();
            synchronized (lock) {
                if (closed) {
                    // opened while stopping: ended at once, connection and all
                    writer.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "outlast stopping");
                    session.setOutbound(writer);
                    return null;
                }
                out = writer;
                headsId = null;
                pendingId = null;
                stalledPolls = 0;
            }
            session.setOutbound(writer);
            session.inbound().subscribe(new Inbound(writer));
            send(writer, subscribe(HEADS, "newHeads"));
            if (pending.isWanted()) {
                send(writer, subscribe(PENDING, "newPendingTransactions"));
            }
            return null;
        });
    }

    /** The chain's pending feed gained its first listener ({@code true}) or lost its last one. */
    void pendingWanted(boolean wanted) {
        WebSocketWriter writer;
        String unsubscribe = null;
        synchronized (lock) {
            writer = out;
            if (!wanted && pendingId != null) {
                unsubscribe = pendingId;
                pendingId = null;
            }
        }
        if (writer == null) {
            return;
        }
        if (wanted) {
            send(writer, subscribe(PENDING, "newPendingTransactions"));
        } else if (unsubscribe != null) {
            send(writer, "{\"jsonrpc\":\"2.0\",\"id\":" + UNSUBSCRIBE + ",\"method\":\"eth_unsubscribe\",\"params\":[\""
                    + unsubscribe + "\"]}");
        }
    }

    private static String subscribe(int id, String type) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"eth_subscribe\",\"params\":[\"" + type + "\"]}";
    }

    private static void send(WebSocketWriter writer, String text) {
        writer.tryWrite(WebSocketFrame.ofText(text));
    }

    private void onMessage(WebSocketWriter writer, byte[] text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (java.io.IOException e) {
            return;
        }
        if (message == null || !message.isObject()) {
            return;
        }
        if ("eth_subscription".equals(message.path("method").asText())) {
            notification(message.path("params"));
            return;
        }
        int id = message.path("id").asInt(-1);
        JsonNode result = message.get("result");
        if (id == HEADS) {
            if (result == null || !result.isTextual()) {
                ended("refused", redacted() + " refused eth_subscribe(newHeads): " + message.path("error"), true);
                writer.close(WebSocketCloseStatus.NORMAL_CLOSURE, "subscriptions refused");
                return;
            }
            boolean reopenedOne;
            // a socket is stalled by the blocks polled after it subscribed, not before
            announced.accumulateAndGet(upstream.health().head(), Math::max);
            synchronized (lock) {
                headsId = result.textValue();
                reopenedOne = pause != FIRST_PAUSE.toNanos();
                pause = FIRST_PAUSE.toNanos();
            }
            if (reopenedOne) {
                log.info("chain {}: socket to upstream {} open again; new blocks are announced on it", chain.id(),
                        upstream.name());
            }
        } else if (id == PENDING && result != null && result.isTextual()) {
            synchronized (lock) {
                pendingId = result.textValue();
            }
        }
    }

    private void notification(JsonNode params) {
        String id = params.path("subscription").asText("");
        JsonNode result = params.path("result");
        String heads;
        String transactions;
        synchronized (lock) {
            heads = headsId;
            transactions = pendingId;
        }
        if (id.equals(heads)) {
            Quantity.parse(result.path("number").asText("")).ifPresent(n -> {
                announced.accumulateAndGet(n, Math::max);
                chain.headAnnounced(upstream);
                timers.schedule(() -> {
                    if (upstream.health().head() < n) {
                        chain.headAnnounced(upstream);
                    }
                }, RECHECK_MS, TimeUnit.MILLISECONDS);
            });
        } else if (id.equals(transactions) && result.isTextual() && upstream.health().isHonestAndVerified()) {
            pending.offer(result.textValue());
        }
    }

    /** Closes a socket that announced nothing while its upstream's polled head moved on. */
    private void checkStall() {
        WebSocketWriter writer;
        long polled = upstream.health().head();
        long last = announced.get();
        if (last < 0 && polled >= 0) {
            // subscribed before the first head poll: the stall is counted from the first polled head
            announced.compareAndSet(last, polled);
            return;
        }
        synchronized (lock) {
            writer = out;
            if (writer == null || headsId == null || polled < 0 || polled < last + STALL_BLOCKS) {
                stalledPolls = 0;
                return;
            }
            stalledPolls++;
            if (stalledPolls < STALL_POLLS) {
                return;
            }
        }
        ended("stalled", "socket to " + redacted() + " stalled: the upstream's head is " + polled
                + ", the socket last announced " + last, false);
        writer.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "stalled");
    }

    /**
     * The socket ended (or never opened): schedules the next one. Only the first call for a socket
     * counts; the stream's own end after a close this class made is ignored.
     */
    private void ended(String reason, String detail, boolean refused) {
        long wait;
        synchronized (lock) {
            if (closed) {
                return;
            }
            out = null;
            headsId = null;
            pendingId = null;
            wait = refused ? REFUSED_PAUSE.toNanos() : pause;
            pause = Math.min(LONGEST_PAUSE.toNanos(), pause * 2);
            if (wait == FIRST_PAUSE.toNanos() || refused) {
                log.warn("chain {}: {}; blocks are announced by head polls until it opens again", chain.id(), detail);
            }
        }
        reopened.reopened(chain.id(), upstream.name(), reason);
        timers.schedule(this::open, wait, TimeUnit.NANOSECONDS);
    }

    private String redacted() {
        return "upstream " + upstream.name() + " (" + new UrlRedactor(url).redacted() + ")";
    }

    @Override
    public void close() {
        WebSocketWriter writer;
        synchronized (lock) {
            closed = true;
            writer = out;
            out = null;
        }
        stallCheck.cancel(false);
        if (writer != null) {
            writer.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "outlast stopping");
        }
    }

    /** The frames one socket receives; its end (close, error) ends the socket. */
    private final class Inbound implements Subscriber<WebSocketFrame> {

        private final WebSocketWriter writer;

        Inbound(WebSocketWriter writer) {
            this.writer = writer;
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(WebSocketFrame frame) {
            switch (frame.type()) {
                case TEXT, BINARY -> onMessage(writer, frame.array());
                case PING -> writer.tryWrite(WebSocketFrame.ofPong(frame.array()));
                default -> {
                    // pong, close (the stream ends next), continuation (aggregated)
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            end("socket to " + redacted() + " failed: " + t);
        }

        @Override
        public void onComplete() {
            end("socket to " + redacted() + " closed");
        }

        private void end(String detail) {
            writer.close();
            boolean current;
            synchronized (lock) {
                current = out == writer;
            }
            if (current) {
                ended("closed", detail, false);
            }
        }
    }
}
