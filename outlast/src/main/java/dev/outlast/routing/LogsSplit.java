package dev.outlast.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code eth_getLogs} over a block range wider than upstreams accept: split into chunks, fetched
 * in parallel, merged in block order.
 *
 * <h2>Implementation note</h2>
 * The widest range a chain sends ({@link LogsWidth}) starts at {@code getLogs.maxBlockRange}: when an
 * upstream answers that a range is too wide (each provider words it differently; the known
 * wordings are below), the limit it names, or half the range tried, becomes the chain's new
 * width and the request is split again. Each chunk is an ordinary pinned read, so it fails over
 * to another upstream on its own, is coalesced with identical chunks in flight, and is cached
 * (chunks of final blocks for good). At most {@value #PARALLEL} chunks of one request are in
 * flight at once, so one wide query cannot take every connection. Any chunk failing fails the
 * request with that chunk's error: a partial list of logs would be a wrong answer.
 *
 * <p>Thread-safe (stateless; the width lives in {@link Chain}).
 */
final class LogsSplit {

    static final int PARALLEL = 4;

    /** Known provider wordings for "this range is too wide". */
    private static final List<String> TOO_WIDE = List.of("block range", "range too large", "range is too large",
            "range is too wide", "too wide", "more than 10000 results", "query returned more than",
            "response size exceeded", "response size should not", "limited to a", "exceed maximum block range",
            "exceeds maximum block range", "too many blocks", "range limit", "max range", "maximum range");
    private static final Pattern EXCEED = Pattern.compile("(?:maximum block range|max(?:imum)? range|limited to an?)"
            + "[^0-9]{0,10}([0-9][0-9,]*)\\s*(k?)");
    private static final Pattern UP_TO = Pattern.compile("up to an? ([0-9][0-9,]*)\\s*(k?) block range");
    private static final Pattern SUGGESTED = Pattern.compile("\\[0x([0-9a-f]+),\\s*0x([0-9a-f]+)]");

    private LogsSplit() {
    }

    /** True when an upstream's error says the block range was too wide (or matched too many logs). */
    static boolean isTooWide(JsonNode error) {
        if (error == null) {
            return false;
        }
        String message = text(error);
        return TOO_WIDE.stream().anyMatch(message::contains);
    }

    /**
     * An error's message with its data: when every upstream refused, Outlast's own error carries
     * their messages in {@code data.upstreams[].detail}.
     */
    private static String text(JsonNode error) {
        return (error.path("message").asText("") + " " + error.path("data").toString()).toLowerCase(Locale.ROOT);
    }

    /** The range an upstream's error says it accepts, if it says. */
    static OptionalLong acceptedRange(JsonNode error) {
        String message = text(error);
        Matcher suggested = SUGGESTED.matcher(message);
        if (suggested.find()) {
            long from = Long.parseLong(suggested.group(1), 16);
            long to = Long.parseLong(suggested.group(2), 16);
            if (to >= from) {
                return OptionalLong.of(to - from + 1);
            }
        }
        for (Pattern p : List.of(UP_TO, EXCEED)) {
            Matcher m = p.matcher(message);
            if (m.find()) {
                try {
                    long n = Long.parseLong(m.group(1).replace(",", ""));
                    return OptionalLong.of(m.group(2).isEmpty() ? n : n * 1000);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The filter with another range. */
    static ArrayNode withRange(ObjectNode filter, long from, long to) {
        ObjectNode copy = filter.deepCopy();
        copy.put("fromBlock", Quantity.format(from));
        copy.put("toBlock", Quantity.format(to));
        return JsonNodeFactory.instance.arrayNode().add(copy);
    }

    /** A refusal for a range needing more than {@code maxChunks} calls. */
    static RpcOutcome tooWide(String chain, long from, long to, long width, int maxChunks) {
        ObjectNode error = RpcErrors.of(OutlastError.RANGE_TOO_WIDE, "Block range too wide: " + (to - from + 1)
                + " blocks would take more than " + maxChunks + " calls of " + width + " blocks; narrow the range");
        RpcErrors.data(error).put("chain", chain).put("blocks", to - from + 1).put("maxBlockRange", width)
                .put("maxChunks", maxChunks);
        return new RpcOutcome(RpcResponse.error(error), List.of(), null, OutlastError.RANGE_TOO_WIDE.reason());
    }

    /**
     * Fetches {@code from..to} in chunks of {@code width} blocks with {@code fetch}, at most
     * {@value #PARALLEL} at once, and merges the answers in order.
     */
    static CompletableFuture<RpcOutcome> fetch(long from, long to, long width,
                                               Function<long[], CompletableFuture<RpcOutcome>> fetch) {
        List<long[]> chunks = new ArrayList<>();
        for (long start = from; start <= to; start += width) {
            chunks.add(new long[] {start, Math.min(to, start + width - 1)});
            if (start > Long.MAX_VALUE - width) {
                break;
            }
        }
        List<CompletableFuture<RpcOutcome>> results = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            results.add(null);
        }
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < Math.min(PARALLEL, chunks.size()); lane++) {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int i = lane; i < chunks.size(); i += PARALLEL) {
                int index = i;
                chain = chain.thenCompose(x -> {
                    CompletableFuture<RpcOutcome> one = fetch.apply(chunks.get(index));
                    synchronized (results) {
                        results.set(index, one);
                    }
                    // A failed chunk fails the request: do not start the lane's later chunks.
                    return one.thenAccept(o -> {
                        if (o.response().isError()) {
                            throw new ChunkFailed(o);
                        }
                    });
                });
            }
            lanes.add(chain);
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).handle((x, error) -> {
            List<RpcOutcome> outcomes = new ArrayList<>();
            synchronized (results) {
                for (CompletableFuture<RpcOutcome> f : results) {
                    if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
                        outcomes.add(f.join());
                    }
                }
            }
            for (RpcOutcome o : outcomes) {
                if (o.response().isError()) {
                    return o;
                }
            }
            return merge(outcomes);
        });
    }

    private static RpcOutcome merge(List<RpcOutcome> outcomes) {
        ArrayNode logs = JsonNodeFactory.instance.arrayNode();
        Set<String> upstreams = new LinkedHashSet<>();
        boolean allHits = true;
        for (RpcOutcome o : outcomes) {
            JsonNode result = o.response().result();
            if (result != null && result.isArray()) {
                logs.addAll((ArrayNode) result);
            }
            upstreams.addAll(o.upstreams());
            allHits &= "HIT".equals(o.cache());
        }
        return new RpcOutcome(RpcResponse.result(logs), List.copyOf(upstreams), null, "ok", null,
                allHits ? "HIT" : "MISS");
    }

    private static final class ChunkFailed extends RuntimeException {
        ChunkFailed(RpcOutcome outcome) {
            super(outcome.outcome(), null, false, false);
        }
    }
}
