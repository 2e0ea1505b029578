package dev.outlast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outlast.cache.CachePolicy;
import dev.outlast.cache.Finality;
import dev.outlast.cache.ResponseCache;
import dev.outlast.cache.Validity;
import dev.outlast.rpc.RequestParser;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every request pays before any upstream is asked: parsing the body, the canonical cache key
 * of its params, and the cache policy's decision on the answer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RequestPathBenchmark {

    private static final String GET_BALANCE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBalance\","
            + "\"params\":[\"0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1\",\"latest\"]}";
    private static final String ETH_CALL = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_call\",\"params\":[{"
            + "\"to\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"data\":\"0x70a08231000000000000000000000000"
            + "90f8bf6a479f320ead074411a4b0e7944ea8c9c1\",\"from\":\"0x0000000000000000000000000000000000000000\"},"
            + "\"0x1234567\"]}";

    private final RequestParser parser = new RequestParser(32, 100);
    private byte[] single;
    private byte[] batch;
    private JsonNode callParams;
    private JsonNode balanceParams;
    private JsonNode result;
    private final Finality finality = new Finality() {
        @Override
        public long finalBlock() {
            return 0x1234000;
        }

        @Override
        public String hashAt(long block) {
            return "0x" + "ab".repeat(32);
        }
    };

    @Setup
    public void setUp() throws Exception {
        ObjectMapper json = new ObjectMapper();
        single = GET_BALANCE.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            b.append(i == 0 ? "" : ",").append(i % 2 == 0 ? GET_BALANCE : ETH_CALL);
        }
        batch = b.append(']').toString().getBytes(StandardCharsets.UTF_8);
        callParams = json.readTree(ETH_CALL).get("params");
        balanceParams = json.readTree("[\"0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1\",\"0x1234567\"]");
        result = json.readTree("\"0x000000000000000000000000000000000000000000000000000000000bebc200\"");
    }

    @Benchmark
    public RequestParser.Parsed parseSingle() {
        return parser.parse(single);
    }

    @Benchmark
    public RequestParser.Parsed parseBatchOf10() {
        return parser.parse(batch);
    }

    @Benchmark
    public String cacheKeyOfEthCall() {
        return ResponseCache.key("mainnet", "eth_call", callParams);
    }

    @Benchmark
    public Optional<Validity> cachePolicyOfARecentBalance() {
        return CachePolicy.validity("eth_getBalance", balanceParams, result, true, finality);
    }
}
