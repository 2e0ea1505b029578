package dev.outlast.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.health.UpstreamHealth;
import dev.outlast.routing.retry.RetryPolicy;
import dev.outlast.time.Ticker;
import dev.outlast.upstream.Upstream;
import dev.outlast.upstream.UpstreamReply;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing decisions per request: ordering five upstreams of mixed health (the selection every read
 * makes), and grouping three consensus answers by value (what a consensus read compares).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SelectionBenchmark {

    private ClientFactory factory;
    private List<ChainUpstream> upstreams;
    private List<JsonNode> answers;
    private final Ticker ticker = Ticker.system();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        factory = ClientFactory.builder().build();
        upstreams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "u" + i;
            UpstreamHealth health = new UpstreamHealth(name, Ticker.system(), null);
            health.chainIdChecked(null);
            health.headReported(1000 - i);
            for (int c = 0; c < 50; c++) {
                health.record(c % (i + 2) == 0
                        ? UpstreamReply.failure(name, dev.outlast.transport.FailureKind.HTTP_5XX, "HTTP 503", 5_000_000)
                        : UpstreamReply.result(name, TextNode.valueOf("0x1"), (10 + i * 7) * 1_000_000L));
            }
            upstreams.add(new ChainUpstream(new Upstream(name, URI.create("http://127.0.0.1:1/" + name), factory,
                    Ticker.system()), health));
        }
        ObjectMapper json = new ObjectMapper();
        String block = "{\"number\":\"0x1234567\",\"hash\":\"0x" + "ab".repeat(32) + "\",\"transactions\":[\"0x"
                + "cd".repeat(32) + "\",\"0x" + "ef".repeat(32) + "\"],\"gasUsed\":\"0x1c9c380\"}";
        answers = List.of(json.readTree(block), json.readTree(block), json.readTree(block.replace("0x1c9c380", "0x0")));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        factory.close();
    }

    @Benchmark
    public ChainUpstream selectAmongFive() {
        return Selector.candidates(upstreams, 998, 5, RetryPolicy.DEFAULT, ticker).next();
    }

    @Benchmark
    public int groupThreeConsensusAnswers() {
        Map<JsonNode, List<JsonNode>> groups = new LinkedHashMap<>();
        for (JsonNode a : answers) {
            groups.computeIfAbsent(a, x -> new ArrayList<>(2)).add(a);
        }
        return groups.size();
    }
}
