package dev.outlast.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import dev.outlast.transport.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The floor under Outlast's numbers in {@code benchmarks/wrk-vs-nginx.sh}: Armeria alone, on the
 * same transport, doing nothing but the HTTP exchanges Outlast's hot paths cannot avoid.
 * {@code POST /proxy} forwards the body to the origin with a {@link WebClient} and returns the
 * origin's body (the pass-through case without parsing, routing, health or metrics);
 * {@code POST /proxy-netty} does the same with a Netty client on the request's event loop
 * ({@link LoopClient}: the shape of Outlast's own upstream client, so the floor under Outlast's
 * pass-through);
 * {@code POST /static} reads the body and answers a fixed JSON-RPC result (the cache-hit case
 * without parsing or a cache). Outlast's rate divided by this one is what Outlast's own work
 * costs; this one divided by nginx's is what the HTTP stack costs.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.outlast.bench.BareArmeria PORT ORIGIN_URL [EVENT_LOOPS]}
 * (default: two per core, Armeria's default)
 */
public final class BareArmeria {

    private static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x3635c9adc5dea00000\"}";

    private BareArmeria() {
    }

    public static void main(String[] args) {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: BareArmeria PORT ORIGIN_URL [EVENT_LOOPS]");
            System.exit(2);
        }
        Transport.preferIoUring();
        int port = Integer.parseInt(args[0]);
        // one group for the server and its client, as Outlast has (default: Armeria's, two per core)
        EventLoopGroup loops = EventLoopGroups.newEventLoopGroup(
                args.length == 3 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors() * 2);
        WebClient origin = WebClient.builder(args[1])
                .factory(ClientFactory.builder().workerGroup(loops, false).build()).build();
        URI originUrl = URI.create(args[1]);
        LoopClient loopClient = new LoopClient(new InetSocketAddress(originUrl.getHost(), originUrl.getPort()));
        RequestHeaders forward = RequestHeaders.builder(HttpMethod.POST, "/")
                .contentType(MediaType.JSON_UTF_8).build();
        Server server = Server.builder()
                .workerGroup(loops, false)
                .http(port)
                .service("/proxy", (ctx, req) -> HttpResponse.of(req.aggregate()
                        .thenCompose(body -> origin.execute(forward, body.content()).aggregate())
                        .thenApply(res -> HttpResponse.of(res.status(), MediaType.JSON_UTF_8, res.content()))))
                .service("/proxy-netty", (ctx, req) -> HttpResponse.of(req.aggregate()
                        .thenCompose(body -> loopClient.post(ctx.eventLoop().withoutContext(),
                                Unpooled.wrappedBuffer(body.content().array())))
                        .thenApply(res -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, HttpData.wrap(res)))))
                .service("/static", (ctx, req) -> HttpResponse.of(req.aggregate()
                        .thenApply(body -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, RESULT))))
                .build();
        server.start().join();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop().join()));
        System.out.println("bare armeria listening on http://127.0.0.1:" + port);
    }
}
