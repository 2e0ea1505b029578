package dev.outlast.routing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.ChainConfig;
import dev.outlast.health.UpstreamHealth;
import dev.outlast.rpc.RpcRequest;
import dev.outlast.testing.FakeScheduler;
import dev.outlast.testing.FakeTicker;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A chain whose time is a {@link FakeTicker} and whose timers run on a {@link FakeScheduler}: the
 * routing decisions that depend on time (waits for a rate budget or a Retry-After, pauses before
 * retries, waits for a lagging node, head polls) happen when the test moves the clock, while the
 * calls to the fake upstreams are real I/O, waited for with Awaitility. Without the cache, the HTTP
 * listener and the rest of the server: requests go to {@link Chain#execute}.
 *
 * <p>Not thread-safe: driven by one test.
 */
final class FakeClockChain implements AutoCloseable {

    /** How far the clock moves per poll while a test waits for something that takes time. */
    static final Duration STEP = Duration.ofMillis(10);
    private static final Duration POLL = Duration.ofMillis(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeTicker ticker = new FakeTicker();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final ClientFactory factory = ClientFactory.builder().build();
    private final Chain chain;

    private FakeClockChain(ChainConfig config) {
        this.chain = new Chain(config, factory, scheduler, ticker, RoutingListener.NONE);
    }

    /** Starts a chain, runs its first head polls, and waits until {@code expectUsable} upstreams are usable. */
    static FakeClockChain start(ChainConfig config, int expectUsable) {
        FakeClockChain fake = new FakeClockChain(config);
        fake.chain.start();
        fake.scheduler.runDue();
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.chain.servedHead() >= 0
                && fake.chain.upstreams().stream().filter(u -> u.health().isUsable()).count() >= expectUsable);
        return fake;
    }

    Chain chain() {
        return chain;
    }

    /** The chain's time now, in nanoseconds. */
    long nanos() {
        return ticker.nanos();
    }

    UpstreamHealth health(String upstream) {
        return chain.upstreams().stream().filter(u -> u.name().equals(upstream)).findFirst().orElseThrow().health();
    }

    /** Sends {@code method} with {@code params} (a JSON array) to the chain, without moving the clock. */
    CompletableFuture<RpcOutcome> send(String method, String params) {
        try {
            ArrayNode array = (ArrayNode) JSON.readTree(params);
            return chain.execute(new RpcRequest(IntNode.valueOf(1), method, array, null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves the clock by {@code duration}, running the chain's timers that come due. */
    void advance(Duration duration) {
        scheduler.advance(duration);
    }

    /** The answer to {@code outcome}, which needs only I/O: the clock does not move. */
    RpcOutcome answer(CompletableFuture<RpcOutcome> outcome) {
        return outcome.orTimeout(20, TimeUnit.SECONDS).join();
    }

    /**
     * The answer to {@code outcome}, moving the clock while it is not there: for an answer that
     * takes time (a wait for a token, a Retry-After, a node to catch up).
     */
    RpcOutcome answerAdvancing(CompletableFuture<RpcOutcome> outcome) {
        advanceUntil(outcome::isDone);
        return outcome.join();
    }

    /** Moves the clock by {@code duration}, {@link #STEP} per poll, letting I/O keep pace. */
    void advanceBy(Duration duration) {
        long until = ticker.nanos() + duration.toNanos();
        advanceUntil(() -> ticker.nanos() - until >= 0);
    }

    /**
     * Moves the clock by {@link #STEP} per poll (every {@link #POLL} of real time) until
     * {@code condition} holds. Time moves only about twice as fast as real time, so that the calls a
     * timer starts are answered within a step or two of the chain's time, as they would be.
     */
    void advanceUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(() -> {
                    if (condition.getAsBoolean()) {
                        return true;
                    }
                    scheduler.advance(STEP);
                    return false;
                });
    }

    /** The result of a successful outcome, or the error with its {@code data}. */
    static JsonNode json(RpcOutcome outcome) {
        return outcome.response().isError()
                ? JSON.createObjectNode().set("error", outcome.response().error())
                : JSON.createObjectNode().set("result", outcome.response().result());
    }

    @Override
    public void close() {
        chain.close();
        scheduler.shutdownNow();
        factory.close();
    }
}
