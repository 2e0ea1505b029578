package dev.outlast.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import dev.outlast.testing.ProxiedChain;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The faults as the gateway's own HTTP client, Armeria's WebClient, sees them. */
class FaultProxyArmeriaClientTest {

    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"}";

    @RegisterExtension
    final ProxiedChain env = new ProxiedChain();

    private ClientFactory factory;
    private WebClient client;

    @BeforeEach
    void createClient() {
        factory = ClientFactory.builder().build();
        client = WebClient.builder(env.proxy().uri()).factory(factory)
                .responseTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterEach
    void closeClient() {
        factory.close();
    }

    @Test
    void talksToTheProxyOverHttp1AndReusesTheConnection() {
        // Armeria first tries an HTTP/2 preface, gets a 400 (as from nginx) and falls back to HTTP/1.1.
        post();
        post();
        long warm = env.proxy().connectionsAccepted();

        for (int i = 0; i < 5; i++) {
            AggregatedHttpResponse response = post();
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.contentUtf8()).contains("\"result\":\"0x0\"");
        }

        assertThat(env.proxy().connectionsAccepted()).isEqualTo(warm);
    }

    @Test
    void resetFailsTheRequestWithoutAResponse() {
        env.proxy().setFault(Fault.reset());

        assertThatThrownBy(this::post).isInstanceOf(CompletionException.class)
                .satisfies(e -> assertThat(e.getCause()).isNotInstanceOf(ResponseTimeoutException.class));
    }

    @Test
    void blackHoleTimesTheRequestOut() {
        env.proxy().setFault(Fault.blackHole());

        assertThatThrownBy(this::post).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ResponseTimeoutException.class);
    }

    @Test
    void cloudflarePageArrivesWithItsHeaders() {
        env.proxy().setFault(Fault.cloudflare(520));

        AggregatedHttpResponse response = post();

        assertThat(response.status().code()).isEqualTo(520);
        assertThat(response.headers().get("server")).isEqualTo("cloudflare");
    }

    private AggregatedHttpResponse post() {
        return client.execute(HttpRequest.of(HttpMethod.POST, "/", MediaType.JSON, BLOCK_NUMBER)).aggregate().join();
    }
}
