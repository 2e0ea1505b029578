package dev.outlast.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ConnectionPoolListener;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AttributeMap;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call to an upstream, headers and body, leaves in one flush; an answer written after the request
 * was read takes one flush less; Armeria hands us its connections.
 */
class WriteCoalescingTest {

    private final Server server = Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0)
            .service("/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(r -> HttpResponse.of(r.contentUtf8()))))
            .build();

    WriteCoalescingTest() {
        server.start().join();
    }

    @AfterEach
    void stop() {
        server.stop().join();
    }

    @Test
    void aCallsHeadersAndBodyLeaveInOneFlush() {
        assertThat(socketFlushesPerCall(true)).isEqualTo(1.0);
    }

    @Test
    void withoutItTheyAreFlushedApart() {
        assertThat(socketFlushesPerCall(false)).isEqualTo(2.0);
    }

    /**
     * Posts calls the way the gateway does, over HTTP/1.1 as most providers speak it (HTTP/2 frames
     * headers and body under one flush already), and counts the flushes that reach the socket with
     * bytes to send.
     */
    private double socketFlushesPerCall(boolean coalescing) {
        AtomicInteger flushes = new AtomicInteger();
        ConnectionPoolListener listener = onOpen(channel -> {
            if (coalescing) {
                WriteCoalescing.coalesce(channel.pipeline());
            }
            channel.pipeline().addFirst(new SocketFlushes(flushes));
        });
        try (ClientFactory factory = ClientFactory.builder().connectionPoolListener(listener).build()) {
            WebClient client = WebClient.builder("h1c://127.0.0.1:" + server.activeLocalPort()).factory(factory).build();
            return perCall(flushes, i -> assertThat(post(client, "call " + i)).isEqualTo("call " + i));
        }
    }

    private static String post(WebClient client, String body) {
        return client.prepare().post("/").content(MediaType.JSON_UTF_8, body).execute().aggregate().join()
                .contentUtf8();
    }

    @Test
    void anAnswerReadyAfterTheRequestWasReadTakesOneFlushLess() {
        // A streaming service's answer: the headers go first, then body and end together.
        assertThat(serverFlushesPerAnswer(true)).isEqualTo(2.0);
    }

    @Test
    void withoutItHeadersBodyAndEndAreFlushedApart() {
        assertThat(serverFlushesPerAnswer(false)).isGreaterThan(2.5);
    }

    /**
     * Serves answers that are ready only after the request was read (as a gateway's are: they wait
     * for an upstream), and counts the flushes that reach the socket with bytes to send, per answer.
     */
    private static double serverFlushesPerAnswer(boolean coalescing) {
        AtomicInteger flushes = new AtomicInteger();
        Server later = Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0)
                .service("/", (ctx, req) -> HttpResponse.of(CompletableFuture.supplyAsync(
                        () -> HttpResponse.of("answer"),
                        CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS, ctx.eventLoop()))))
                .childChannelPipelineCustomizer(p -> {
                    if (coalescing) {
                        WriteCoalescing.coalesce(p);
                    }
                    p.addFirst(new SocketFlushes(flushes));
                }).build();
        later.start().join();
        try {
            WebClient client = WebClient.of("h1c://127.0.0.1:" + later.activeLocalPort());
            return perCall(flushes, i -> assertThat(client.get("/").aggregate().join().contentUtf8()).isEqualTo("answer"));
        } finally {
            later.stop().join();
        }
    }

    @Test
    void theHandlerArmeriaPutsOnANewConnectionIsReplaced() throws Exception {
        FlushConsolidationHandler[] seen = new FlushConsolidationHandler[2];
        ConnectionPoolListener recording = onOpen(channel -> {
            seen[0] = channel.pipeline().get(FlushConsolidationHandler.class);
            WriteCoalescing.client().connectionOpen(SessionProtocol.H1C, null, null, channel);
            seen[1] = channel.pipeline().get(FlushConsolidationHandler.class);
        });
        try (ClientFactory factory = ClientFactory.builder().connectionPoolListener(recording).build()) {
            WebClient client = WebClient.builder("h1c://127.0.0.1:" + server.activeLocalPort()).factory(factory).build();
            assertThat(post(client, "a")).isEqualTo("a");
            assertThat(seen[0]).isNotNull();
            assertThat(seen[1]).isNotNull().isNotSameAs(seen[0]);
        }
    }

    /** Makes one call (warming up), then 20, and returns the socket flushes counted per call. */
    private static double perCall(AtomicInteger flushes, IntConsumer call) {
        call.accept(-1);
        int before = flushes.get();
        int calls = 20;
        for (int i = 0; i < calls; i++) {
            call.accept(i);
        }
        return (double) (flushes.get() - before) / calls;
    }

    /** A listener that runs {@code open} on each new connection's channel (Armeria passes it as the attribute map). */
    private static ConnectionPoolListener onOpen(OnOpen open) {
        return new ConnectionPoolListener() {
            @Override
            public void connectionOpen(SessionProtocol protocol, InetSocketAddress remoteAddr,
                                       InetSocketAddress localAddr, AttributeMap attrs) throws Exception {
                assertThat(attrs).isInstanceOf(Channel.class);
                open.accept((Channel) attrs);
            }

            @Override
            public void connectionClosed(SessionProtocol protocol, InetSocketAddress remoteAddr,
                                         InetSocketAddress localAddr, AttributeMap attrs) {
            }
        };
    }

    private interface OnOpen {
        void accept(Channel channel) throws Exception;
    }

    /** Next to the socket: a flush that carries writes is one system call. */
    private static final class SocketFlushes extends ChannelOutboundHandlerAdapter {
        private final AtomicInteger count;
        private boolean written;

        SocketFlushes(AtomicInteger count) {
            this.count = count;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            written = true;
            super.write(ctx, msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) throws Exception {
            if (written) {
                written = false;
                count.incrementAndGet();
            }
            super.flush(ctx);
        }
    }
}
