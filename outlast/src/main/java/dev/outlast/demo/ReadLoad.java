package dev.outlast.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.drill.sim.AccountState;
import dev.outlast.drill.sim.SimulatedChain;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A wallet-like client: worker threads that read {@code eth_blockNumber}, {@code eth_getBalance} and
 * {@code eth_getTransactionCount} of a few accounts in a loop, through Outlast and directly from one
 * provider, and count each answer as ok, error or wrong in the current {@link Tallies}.
 *
 * <p>An answer is right when it matches the simulated chain's true state at some block between a few
 * blocks before the request was sent and the head when the answer arrived (Outlast serves the head
 * its upstreams agree on, which may trail the chain by a poll). A {@code 0x0} balance of a funded
 * account therefore never passes. An error is anything but a JSON-RPC result: an HTTP status other
 * than 200, a reset, a timeout, a JSON-RPC error.
 *
 * <p>Thread-safe; {@link #close()} stops the workers and abandons requests in flight.
 */
final class ReadLoad implements AutoCloseable {

    /** The tallies of one phase: through Outlast, and direct to the provider. */
    record Tallies(Tally outlast, Tally direct) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PAUSE = Duration.ofMillis(100);
    private static final long SLACK_BLOCKS = 3;

    private final SimulatedChain chain;
    private final List<String> accounts;
    private final HttpClient http;
    private final List<Thread> workers = new ArrayList<>();
    private volatile Tallies current;
    private volatile boolean stopped;

    ReadLoad(SimulatedChain chain, List<String> accounts, Tallies first) {
        this.chain = chain;
        this.accounts = List.copyOf(accounts);
        this.current = first;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Starts {@code count} workers reading from {@code uri}, counting in {@code which} tally. */
    ReadLoad start(URI uri, Function<Tallies, Tally> which, int count) {
        for (int w = 0; w < count; w++) {
            long seed = w;
            workers.add(Thread.ofVirtual().name("demo-reader-" + uri.getPort() + "-" + w)
                    .start(() -> loop(uri, which, seed)));
        }
        return this;
    }

    /** Counts requests started from now on in {@code next}. */
    void switchTo(Tallies next) {
        current = next;
    }

    private void loop(URI uri, Function<Tallies, Tally> which, long seed) {
        for (long i = seed; !stopped; i++) {
            Tally tally = which.apply(current);
            tally.begin();
            Tally.Result result;
            try {
                result = readOnce(uri, i);
            } catch (InterruptedException e) {
                tally.abandon();
                return;
            }
            if (stopped) {
                tally.abandon();
                return;
            }
            tally.end(result);
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Tally.Result readOnce(URI uri, long i) throws InterruptedException {
        String account = accounts.get((int) ((i / 3) % accounts.size()));
        long before = chain.head().number();
        return switch ((int) (i % 3)) {
            case 0 -> check(call(uri, "eth_blockNumber"), before, (n, block) -> n.equals(BigInteger.valueOf(block)));
            case 1 -> check(call(uri, "eth_getBalance", account, "latest"), before,
                    (v, block) -> v.equals(state(account, block).balance()));
            default -> check(call(uri, "eth_getTransactionCount", account, "latest"), before,
                    (v, block) -> v.equals(state(account, block).nonce()));
        };
    }

    private interface Truth {
        boolean holdsAt(BigInteger value, long block);
    }

    private Tally.Result check(BigInteger value, long before, Truth truth) {
        if (value == null) {
            return Tally.Result.ERROR;
        }
        long after = chain.head().number();
        for (long block = Math.max(0, before - SLACK_BLOCKS); block <= after; block++) {
            if (truth.holdsAt(value, block)) {
                return Tally.Result.OK;
            }
        }
        return Tally.Result.WRONG;
    }

    private AccountState state(String account, long block) {
        return chain.block(block).map(b -> b.account(account)).orElse(AccountState.EMPTY);
    }

    /** The hex quantity result, or null for any kind of error. */
    private BigInteger call(URI uri, String method, String... params) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        var array = body.putArray("params");
        for (String p : params) {
            array.add(p);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            JsonNode result = JSON.readTree(response.body()).path("result");
            String hex = result.isTextual() ? result.asText() : "";
            return hex.startsWith("0x") && hex.length() > 2 ? new BigInteger(hex.substring(2), 16) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        stopped = true;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.close();
    }
}
