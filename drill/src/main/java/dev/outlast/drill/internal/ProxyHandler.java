package dev.outlast.drill.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.drill.CallFilter;
import dev.outlast.drill.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the {@link Outcome} of one request: the control API, a fault, or a forward to the upstream
 * with the rewrites of the faults that fired. Runs on the connection's (virtual) thread and blocks
 * on the upstream and on added latency. Thread-safe.
 */
public final class ProxyHandler {

    /**
     * Forwards of requests matching {@code which}, and their observers, run holding {@code lock};
     * {@code filter}, when not null, answers some of their calls instead of forwarding them.
     */
    public record Serializer(Lock lock, Predicate<JsonNode> which, CallFilter filter) {
    }

    private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);
    private static final String NOT_JSON_BODY =
            "<html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1>"
                    + "<p>The server is temporarily unable to service your request.</p></body></html>\n";

    private final Upstream upstream;
    private final Supplier<ActiveFaults> faults;
    private final ControlApi control;
    private final RandomGenerator random;
    private final List<Consumer<JsonNode>> observers = new CopyOnWriteArrayList<>();
    private volatile Serializer serializer;

    public ProxyHandler(Upstream upstream, Supplier<ActiveFaults> faults, ControlApi control,
                        RandomGenerator random) {
        this.upstream = upstream;
        this.faults = faults;
        this.control = control;
        this.random = random;
    }

    public void addObserver(Consumer<JsonNode> observer) {
        observers.add(observer);
    }

    public void serializeWith(Serializer serializer) {
        this.serializer = serializer;
    }

    /** The outcome of {@code request}. */
    public Outcome handle(WireRequest request) throws InterruptedException {
        if (ControlApi.owns(request.path())) {
            return new Outcome.Respond(control.handle(request));
        }
        ActiveFaults.Decision decision = faults.get().roll(random);
        if (decision.delay().isPositive()) {
            Thread.sleep(decision.delay());
        }
        Fault terminal = decision.terminal();
        if (terminal == null) {
            return new Outcome.Respond(forward(request, decision));
        }
        return switch (terminal) {
            case Fault.Reset r -> new Outcome.Reset();
            case Fault.BlackHole b -> new Outcome.BlackHole();
            case Fault.CloudflarePage c -> new Outcome.Respond(
                    CloudflarePages.page(c.status(), upstream.target().getHost(), random));
            case Fault.EdgePage e -> new Outcome.Respond(EdgePages.page(e.edge(), e.status(), random));
            case Fault.HttpError h -> new Outcome.Respond(new WireResponse(h.status(),
                    h.headers().entrySet().stream().map(e -> new WireRequest.Header(e.getKey(), e.getValue()))
                            .toList(), h.body().getBytes(StandardCharsets.UTF_8)));
            case Fault.RateLimited r -> new Outcome.Respond(WireResponse.of(429, "application/json",
                            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32005,"
                                    + "\"message\":\"Too Many Requests\"}}")
                    .withHeader("retry-after", Integer.toString(r.retryAfterSeconds())));
            case Fault.ErrorRate e -> new Outcome.Respond(WireResponse.of(e.status(), "text/plain; charset=utf-8",
                    "upstream error: " + e.status() + " " + reason(e.status()) + "\n"));
            case Fault.BadBody b when b.kind() == Fault.BadBody.Kind.NOT_JSON ->
                    new Outcome.Respond(WireResponse.of(200, "text/html", NOT_JSON_BODY));
            case Fault.BadBody b -> {
                WireResponse real = forward(request, decision);
                yield new Outcome.Respond(real.status() != 200 ? real
                        : real.withBody(Arrays.copyOf(real.body(), real.body().length / 2)));
            }
            default -> throw new IllegalStateException("not a terminal fault: " + terminal);
        };
    }

    private WireResponse forward(WireRequest request, ActiveFaults.Decision decision) throws InterruptedException {
        JsonNode body = parse(request.body());
        RpcRewrite rewrite;
        try {
            rewrite = new RpcRewrite(decision.lieMethods(),
                    decision.lag() == null ? null : decision.lag().frozenHead(upstream), decision.chainId());
        } catch (IOException e) {
            return upstreamFailed(e);
        }
        if (body == null || rewrite.isEmpty()) {
            return send(request, request.body(), body);
        }
        RpcRewrite.Plan plan = rewrite.plan(body);
        WireResponse real = null;
        JsonNode realJson = null;
        if (plan.forward() != null) {
            byte[] bytes = plan.forward().toString().getBytes(StandardCharsets.UTF_8);
            real = send(request, bytes, plan.forward());
            realJson = real.status() == 200 ? parse(real.body()) : null;
            if (realJson == null) {
                return real;
            }
        }
        byte[] out = rewrite.complete(plan, realJson).toString().getBytes(StandardCharsets.UTF_8);
        return real != null ? real.withBody(out) : WireResponse.of(200, "application/json", "").withBody(out);
    }

    private WireResponse send(WireRequest request, byte[] bytes, JsonNode json) throws InterruptedException {
        Serializer s = json == null ? null : serializer;
        Lock lock = s != null && s.which().test(json) ? s.lock() : null;
        if (lock != null) {
            lock.lock();
        }
        try {
            if (lock != null && s.filter() != null) {
                return sendFiltered(request, json, s.filter());
            }
            WireResponse response = upstream.forward(request, bytes);
            if (json != null && response.status() / 100 == 2) {
                notifyObservers(json);
            }
            return response;
        } catch (IOException e) {
            return upstreamFailed(e);
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
    }

    /** Forwards the calls {@code filter} does not answer itself; the answers put back in request order. */
    private WireResponse sendFiltered(WireRequest request, JsonNode json, CallFilter filter) throws IOException,
            InterruptedException {
        LocalSplit split = LocalSplit.of(json, filter);
        if (split.forward() == null) {
            return WireResponse.of(200, "application/json", split.complete(null, filter).toString());
        }
        WireResponse real = upstream.forward(request, split.forward().toString().getBytes(StandardCharsets.UTF_8));
        JsonNode answers = real.status() / 100 == 2 ? parse(real.body()) : null;
        if (answers == null) {
            return real;
        }
        notifyObservers(split.forward());
        JsonNode merged = split.complete(answers, filter);
        return merged == null ? real : real.withBody(merged.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void notifyObservers(JsonNode json) {
        for (Consumer<JsonNode> observer : observers) {
            try {
                observer.accept(json);
            } catch (RuntimeException e) {
                log.warn("request observer failed", e);
            }
        }
    }

    private static WireResponse upstreamFailed(IOException e) {
        // The exception's message may name the target URL (and its API key): only its type is shown.
        return WireResponse.of(502, "text/plain; charset=utf-8",
                        "drill proxy: upstream unavailable (" + e.getClass().getSimpleName() + ")\n")
                .withHeader("x-drill-proxy", "upstream-error");
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            return node != null && (node.isObject() || node.isArray()) ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }
}
