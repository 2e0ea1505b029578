package dev.outlast.transport.fastpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.routing.Chain;
import dev.outlast.site.SiteErrors;
import dev.outlast.testing.FakeTicker;
import dev.outlast.transport.HostMatcher;
import dev.outlast.transport.RpcReply;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a site's response is written on the fast path, whatever the response does. */
class SiteResponseWriterTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ClientConnection connection = new ClientConnection(new FastPath(new RpcEndpoint() {
        @Override
        public Map<String, Chain> chains() {
            return Map.of();
        }

        @Override
        public CompletableFuture<RpcReply> reply(Chain chain, byte[] body) {
            throw new AssertionError("no call here");
        }
    }, HostMatcher.none(), 4096, Duration.ofSeconds(30), new FakeTicker()));
    private final ChannelHandlerContext ctx;

    SiteResponseWriterTest() {
        channel.pipeline().addLast(connection);
        ctx = channel.pipeline().context(connection);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void serve(HttpResponse response, boolean head) {
        response.subscribe(new SiteResponseWriter(connection, ctx, "app", head, false), channel.eventLoop());
        channel.runPendingTasks();
    }

    private List<HttpObject> written() {
        List<HttpObject> out = new ArrayList<>();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            out.add((HttpObject) o);
        }
        return out;
    }

    private static io.netty.handler.codec.http.HttpResponse head(List<HttpObject> written) {
        return (io.netty.handler.codec.http.HttpResponse) written.get(0);
    }

    private static String text(HttpContent content) {
        return content.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSmallAnswerLeavesWholeInOneMessage() {
        serve(HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "hello"), false);
        List<HttpObject> out = written();
        assertThat(out).hasSize(1).first().isInstanceOf(FullHttpResponse.class);
        FullHttpResponse whole = (FullHttpResponse) out.get(0);
        assertThat(text(whole)).isEqualTo("hello");
        assertThat(whole.headers().get("content-length")).isEqualTo("5");
        assertThat(whole.headers().get("date")).endsWith(" GMT");
        out.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aResponseThatFailsBeforeAnythingWasWrittenIsTheSitesResponseFailedAnswer() {
        serve(HttpResponse.ofFailure(new IllegalStateException("broken")), false);

        List<HttpObject> out = written();
        assertThat(out).hasSize(1).first().isInstanceOf(FullHttpResponse.class);
        FullHttpResponse answer = (FullHttpResponse) out.get(0);
        AggregatedHttpResponse expected = SiteErrors.responseFailed("app").aggregate().join();
        assertThat(answer.status().code()).isEqualTo(502);
        assertThat(text(answer)).isEqualTo(expected.contentUtf8())
                .contains("\"reason\":\"response_failed\"", "\"site\":\"app\"", "\"origins\":[]");
        List<String> names = new ArrayList<>();
        answer.headers().forEach(h -> names.add(h.getKey()));
        assertThat(names).containsExactly("content-type", "x-outlast-upstream", "content-length", "date");
        assertThat(channel.isOpen()).isTrue();
        out.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aSmallAnswerWhoseBodyBreaksOffBeforeItIsWrittenIsTheResponseFailedAnswerToo() {
        HttpResponseWriter origin = HttpResponse.streaming();
        origin.write(ResponseHeaders.builder(HttpStatus.OK).contentLength(100).build());
        serve(origin, false);
        origin.close(new IllegalStateException("cut"));
        channel.runPendingTasks();

        List<HttpObject> out = written();
        assertThat(out).hasSize(1);
        assertThat(((FullHttpResponse) out.get(0)).status().code()).isEqualTo(502);
        assertThat(channel.isOpen()).isTrue();
        out.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aBodyThatBreaksOffAfterItsHeadWasWrittenClosesTheConnection() {
        HttpResponseWriter origin = HttpResponse.streaming();
        origin.write(ResponseHeaders.of(HttpStatus.OK));
        origin.write(HttpData.ofUtf8("first part"));
        serve(origin, false);
        origin.close(new IllegalStateException("cut"));
        channel.runPendingTasks();

        List<HttpObject> out = written();
        assertThat(out.get(0)).isInstanceOf(io.netty.handler.codec.http.HttpResponse.class);
        assertThat(head(out).headers().get("transfer-encoding")).isEqualTo("chunked");
        assertThat(text((HttpContent) out.get(1))).isEqualTo("first part");
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.state()).isEqualTo(ClientConnection.State.CLOSING);
        out.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aHeadAnswerHasItsHeadersAndNoBody() {
        serve(HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentLength(5).build()), true);
        List<HttpObject> out = written();
        assertThat(out.get(0)).isInstanceOf(io.netty.handler.codec.http.HttpResponse.class);
        assertThat(head(out).headers().get("content-length")).isEqualTo("5");
        assertThat(out.stream().filter(o -> o instanceof HttpContent c && c.content().isReadable())).isEmpty();
        out.forEach(ReferenceCountUtil::release);
    }
}
