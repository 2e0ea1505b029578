package dev.outlast.transport.fastpath;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpStatus;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.routing.Chain;
import dev.outlast.routing.RoutingListener;
import dev.outlast.site.Site;
import dev.outlast.site.SiteListener;
import dev.outlast.time.Ticker;
import dev.outlast.transport.HostMatcher;
import dev.outlast.transport.RpcReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the fast path itself costs per JSON-RPC call, the answer aside: decoding the request with
 * Netty's HTTP/1 codec (the one Armeria's copies), classifying it, reading its body, encoding an
 * answer that is ready at once, on one kept connection (an embedded channel: no socket). With
 * {@code sites=1} the request's {@code Host} is checked against a site's.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar FastPathBenchmark -prof gc} (allocation per
 * call in {@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FastPathBenchmark {

    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}";

    @Param({"0", "1"})
    public int sites;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Chain chain;
    private Site site;
    private EmbeddedChannel channel;
    private ByteBuf request;

    @Setup
    public void setUp() {
        chain = new Chain(new ChainConfig("devnet", 1337,
                List.of(new UpstreamConfig("alpha", URI.create("http://127.0.0.1:9"))), Duration.ofSeconds(3),
                Duration.ofMillis(100), Duration.ofSeconds(60), ChainConfig.DEFAULT_MAX_LAG_BLOCKS,
                ConsensusConfig.DEFAULT, HedgingConfig.DEFAULT, Set.of()),
                ClientFactory.ofDefault(), scheduler, Ticker.system(), RoutingListener.NONE);
        CompletableFuture<RpcReply> answer = CompletableFuture.completedFuture(new RpcReply(HttpStatus.OK,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x539\"}".getBytes(StandardCharsets.UTF_8), "outlast",
                null, null, null));
        RpcEndpoint rpc = new RpcEndpoint() {
            @Override
            public Map<String, Chain> chains() {
                return Map.of("devnet", chain);
            }

            @Override
            public CompletableFuture<RpcReply> reply(Chain c, byte[] body) {
                return answer;
            }
        };
        site = new Site(SiteConfig.of("app", "app.example.com",
                List.of(new OriginConfig("origin", URI.create("http://127.0.0.1:9"), null))),
                ClientFactory.ofDefault(), scheduler, Ticker.system(), Clock.systemUTC(), SiteListener.NONE);
        HostMatcher<Site> hosts = sites == 0 ? HostMatcher.none() : HostMatcher.of(Map.of("app.example.com", site));
        FastPath path = new FastPath(rpc, hosts, 4096, Duration.ofSeconds(30), Ticker.system());
        channel = new EmbeddedChannel(new HttpServerCodec(), new ClientConnection(path));
        request = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(("POST /rpc/devnet HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: " + CALL.length()
                + "\r\n\r\n" + CALL).getBytes(StandardCharsets.US_ASCII)));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        chain.close();
        site.close();
        scheduler.shutdownNow();
    }

    @Benchmark
    public int call() {
        channel.writeInbound(request.duplicate());
        int written = 0;
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            written += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return written;
    }
}
