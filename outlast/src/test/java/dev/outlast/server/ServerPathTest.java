package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import dev.outlast.testing.TestSite;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * A {@link BothPaths} run serves on the path it is named after: a JSON-RPC call to the gateway and a
 * site's {@code GET}, sent as the behaviour tests send them, are answered on the fast path in the
 * fast path's run and by Armeria in the other (the fast path counts what it answers).
 */
@BothPaths
class ServerPathTest {

    @Parameter
    private ServerPath path;

    @Test
    void theGatewayOfARunAnswersOnItsPath() {
        try (FakeUpstream alpha = FakeUpstream.honest();
             TestGateway gateway = TestGateway.start(path, Map.of("alpha", alpha.uri()))) {
            assertThat(gateway.call("eth_chainId", "[]").path("result").asText()).isEqualTo("0x539");
            assertThat(gateway.server().fastPath().answered()).isEqualTo(path.fastPath() ? 1 : 0);
        }
    }

    @Test
    void theSiteOfARunAnswersOnItsPath() {
        try (FakeOrigin origin = new FakeOrigin("origin");
             TestSite site = TestSite.start(path, Map.of("origin", origin.uri()))) {
            origin.serve("hello", "cache-control", "no-store");
            assertThat(site.get("/").contentUtf8()).isEqualTo("hello");
            assertThat(site.server().fastPath().answered()).isEqualTo(path.fastPath() ? 1 : 0);
        }
    }
}
