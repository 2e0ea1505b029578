package dev.outlast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outlast.drill.sim.SimulatedChain;
import dev.outlast.drill.sim.SimulatedProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DrillProxyCommandTest {

    private static final Pattern PROXY_URL = Pattern.compile("Fault proxy on (http://127\\.0\\.0\\.1:[1-9]\\d*)/ ->");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void targetThatIsNotAnHttpUrlIsAUsageError() {
        int exit = run("drill", "proxy", "--listen", "127.0.0.1:0", "--target", "ftp://node:8545");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--target: \"ftp://node:8545\" (expected: http or https URL)");
    }

    @Test
    void listenWithoutPortIsAUsageError() {
        int exit = run("drill", "proxy", "--listen", "127.0.0.1", "--target", "http://127.0.0.1:8545");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--listen: \"127.0.0.1\" (expected: host:port)");
    }

    @Test
    void missingTargetIsAUsageError() {
        int exit = run("drill", "proxy", "--listen", "127.0.0.1:0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--target=URL'");
    }

    @Test
    void drillWithoutSubcommandIsAUsageError() {
        assertThat(run("drill")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required subcommand");
    }

    @Test
    void proxiesJsonRpcToTheTargetAndAppliesFaultsSetOverItsControlApi() throws Exception {
        try (SimulatedChain chain = SimulatedChain.start();
             HttpClient http = HttpClient.newHttpClient()) {
            SimulatedProvider provider = chain.startProvider();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread command = Thread.ofPlatform().name("drill-proxy-test").start(() -> exit.set(
                    run("drill", "proxy", "--listen", "127.0.0.1:0", "--target", provider.uri().toString())));
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> PROXY_URL.matcher(out.toString()).find());
                Matcher m = PROXY_URL.matcher(out.toString());
                assertThat(m.find()).isTrue();
                String url = m.group(1);
                assertThat(out.toString()).contains("curl -X PUT " + url
                                                    + "/_drill/faults -d '[{\"type\":\"cloudflare\",\"status\":522}]'");

                HttpResponse<String> answer = post(http, url + "/",
                        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_chainId\",\"params\":[]}");
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).contains("\"result\":\"0x539\"").contains("\"id\":7");

                HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(url + "/_drill/faults"))
                        .PUT(HttpRequest.BodyPublishers.ofString("[{\"type\":\"cloudflare\",\"status\":522}]"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(set.statusCode()).isEqualTo(200);
                assertThat(post(http, url + "/", "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"eth_chainId\"}")
                        .statusCode()).isEqualTo(522);
            } finally {
                command.interrupt();
                command.join(Duration.ofSeconds(10));
            }
            assertThat(command.isAlive()).isFalse();
            assertThat(exit).hasValue(0);
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int run(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), Map.of(), args);
    }
}
