package dev.outlast.transport.fastpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpStatus;
import dev.outlast.routing.Chain;
import dev.outlast.routing.RoutingListener;
import dev.outlast.testing.FakeTicker;
import dev.outlast.testing.TestGateway;
import dev.outlast.transport.HostMatcher;
import dev.outlast.transport.RpcReply;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One client connection's state machine, driven by hand on an embedded channel: answers in request
 * order, and the idle watch on the injected ticker (no socket, no sleeping).
 */
class ClientConnectionTest {

    private static final Duration IDLE = Duration.ofSeconds(1);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Chain chain = new Chain(TestGateway.chain(Map.of("alpha", URI.create("http://127.0.0.1:9"))),
            ClientFactory.ofDefault(), scheduler, System::nanoTime, RoutingListener.NONE);
    private final FakeTicker ticker = new FakeTicker();
    /** The answers asked for and not given yet, oldest first. */
    private final Queue<CompletableFuture<RpcReply>> pending = new ArrayDeque<>();
    private final RpcEndpoint rpc = new RpcEndpoint() {
        @Override
        public Map<String, Chain> chains() {
            return Map.of("devnet", chain);
        }

        @Override
        public CompletableFuture<RpcReply> reply(Chain c, byte[] body) {
            CompletableFuture<RpcReply> reply = new CompletableFuture<>();
            pending.add(reply);
            return reply;
        }
    };
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ClientConnection connection =
            new ClientConnection(new FastPath(rpc, HostMatcher.none(), 4096, IDLE, ticker));

    ClientConnectionTest() {
        channel.freezeTime();
        channel.pipeline().addLast(connection);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        chain.close();
        scheduler.shutdownNow();
    }

    private static FullHttpRequest call(String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/rpc/devnet",
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set("host", "127.0.0.1").set("content-length", body.length());
        return request;
    }

    private static RpcReply reply(String body) {
        return new RpcReply(HttpStatus.OK, body.getBytes(StandardCharsets.UTF_8), "outlast", null, null, null);
    }

    /** Answers the oldest pending call with {@code body}; returns what reached the client, or null. */
    private String answer(String body) {
        pending.remove().complete(reply(body));
        FullHttpResponse written = channel.readOutbound();
        if (written == null) {
            return null;
        }
        try {
            return written.content().toString(StandardCharsets.UTF_8);
        } finally {
            written.release();
        }
    }

    /**
     * Closes the connection as Armeria's idle timer does, through the pipeline (the embedded
     * channel's own {@code close()} would also cancel every timer of the channel).
     */
    private void armeriasIdleTimer() {
        channel.pipeline().close();
        channel.runPendingTasks();
    }

    /** Moves the ticker and the channel's timers on together. */
    private void elapse(Duration d) {
        ticker.advance(d);
        channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void answersLeaveInRequestOrderWhileTheFirstIsStillBeingAnswered() {
        channel.writeInbound(call("{\"id\":1}"));
        assertThat(connection.state()).isEqualTo(ClientConnection.State.ANSWERING);
        channel.writeInbound(call("{\"id\":2}"));
        assertThat(pending).hasSize(1); // the second waits for the first's answer

        assertThat(answer("first")).isEqualTo("first");
        assertThat(pending).hasSize(1);
        assertThat(answer("second")).isEqualTo("second");
        assertThat(connection.state()).isEqualTo(ClientConnection.State.IDLE);
    }

    @Test
    void aConnectionThatCarriedFastAnswersOutlivesArmeriasIdleTimerUntilIdleByTheTicker() {
        elapse(Duration.ofMillis(980));
        channel.writeInbound(call("{}"));
        assertThat(answer("a")).isEqualTo("a");
        armeriasIdleTimer(); // which saw none of it
        assertThat(channel.isOpen()).isTrue();

        elapse(Duration.ofMillis(500));
        channel.writeInbound(call("{}"));
        assertThat(answer("b")).isEqualTo("b");
        elapse(Duration.ofMillis(600)); // the watch's first look: 600 ms idle
        assertThat(channel.isOpen()).isTrue();

        elapse(Duration.ofMillis(400)); // a whole idle timeout since the last answer
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aConnectionInTheMiddleOfAFastAnswerIsKeptHoweverLongItTakes() {
        elapse(Duration.ofSeconds(5));
        channel.writeInbound(call("{}"));
        armeriasIdleTimer();
        assertThat(channel.isOpen()).isTrue();
        elapse(Duration.ofSeconds(3));
        assertThat(channel.isOpen()).isTrue();

        assertThat(answer("late")).isEqualTo("late");
        elapse(IDLE);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aConnectionWithoutFastAnswersClosesWhenArmeriaSays() {
        elapse(Duration.ofSeconds(2));
        armeriasIdleTimer();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aClientLeavingMidAnswerClosesTheConnectionAndTheAnswerIsDropped() {
        elapse(Duration.ofSeconds(2));
        channel.writeInbound(call("{}"));
        armeriasIdleTimer();
        elapse(Duration.ofSeconds(2));
        assertThat(channel.isOpen()).isTrue(); // still answering: the watch waits
        channel.pipeline().fireChannelInactive();
        assertThat(connection.state()).isEqualTo(ClientConnection.State.CLOSING);
        pending.remove().complete(reply("nobody"));
        Object written = channel.readOutbound();
        assertThat(written).isNull();
    }

    @Test
    void nothingIsWrittenForAnArmeriaRequest() {
        FullHttpRequest status = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/status");
        status.headers().set("host", "127.0.0.1");
        channel.writeInbound(status);
        FullHttpRequest passed = channel.readInbound();
        assertThat(passed).isSameAs(status);
        passed.release();
        assertThat(pending).isEmpty();
        // Armeria's answer ends the request it owed: the connection takes fast calls again at once
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                io.netty.handler.codec.http.HttpResponseStatus.OK));
        ((FullHttpResponse) channel.readOutbound()).release();
        channel.writeInbound(call("{}"));
        assertThat(pending).hasSize(1);
    }
}
