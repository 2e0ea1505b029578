package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.websocket.WebSocketClient;
import com.linecorp.armeria.client.websocket.WebSocketSession;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.websocket.WebSocket;
import com.linecorp.armeria.common.websocket.WebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketFrameType;
import com.linecorp.armeria.common.websocket.WebSocketWriter;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.websocket.WebSocketService;
import dev.outlast.testing.TestSite;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A WebSocket through the proxy: frames both ways, to the first origin that accepts the upgrade. */
class SiteWebSocketTest {

    private final List<String> originHeaders = new CopyOnWriteArrayList<>();
    private final Server echo = Server.builder()
            .http(0)
            .requestTimeout(Duration.ZERO)
            .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
            .service("/health", (ctx, req) -> com.linecorp.armeria.common.HttpResponse.of(200))
            .service("/chat", WebSocketService.builder((ctx, in) -> {
                originHeaders.add(ctx.request().headers().get("x-forwarded-host") + " "
                                  + ctx.request().headers().get("cookie"));
                return WebSocket.of(in.map(frame -> {
                    if (frame.type() != WebSocketFrameType.TEXT) {
                        return frame;
                    }
                    String text = frame.text();
                    frame.close();
                    return WebSocketFrame.ofText("echo: " + text);
                }));
            }).allowedOrigin(o -> true).build())
            .build();
    /** Healthy for the checks, but no WebSocket endpoint: refuses the upgrade. */
    private final Server plain = Server.builder()
            .http(0)
            .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
            .service("/health", (ctx, req) -> com.linecorp.armeria.common.HttpResponse.of(200))
            .build();
    private TestSite site;

    @AfterEach
    void close() {
        if (site != null) {
            site.close();
        }
        echo.stop();
        plain.stop();
    }

    @Test
    void framesFlowBothWaysThroughTheFirstOriginThatAcceptsTheUpgrade() {
        echo.start().join();
        plain.start().join();
        Map<String, URI> origins = new LinkedHashMap<>();
        origins.put("plain", URI.create("http://127.0.0.1:" + plain.activeLocalPort()));
        origins.put("echo", URI.create("http://127.0.0.1:" + echo.activeLocalPort()));
        site = TestSite.start(origins);

        WebSocketSession session = WebSocketClient.builder("ws://127.0.0.1:" + site.port()).build()
                .connect("/chat", HttpHeaders.of(HttpHeaderNames.HOST, TestSite.HOST, HttpHeaderNames.COOKIE, "s=1"))
                .orTimeout(10, TimeUnit.SECONDS).join();
        WebSocketWriter out = session.outbound();
        out.write("hello");
        out.write("world");
        out.close();
        List<String> received = session.inbound().collect().orTimeout(10, TimeUnit.SECONDS).join().stream()
                .filter(f -> f.type() == WebSocketFrameType.TEXT).map(WebSocketFrame::text).toList();

        assertThat(received).containsExactly("echo: hello", "echo: world");
        assertThat(originHeaders).containsExactly("app.test s=1");
        assertThat(site.site().origins().get(0).recentFailures()).extracting(OriginFailure::detail)
                .containsExactly("WebSocket upgrade refused with HTTP 404");
    }
}
