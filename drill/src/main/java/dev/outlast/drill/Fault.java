package dev.outlast.drill;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One way an upstream fails, injected by a {@link FaultProxy}. Each fault fires on a request with
 * probability {@link #p()} (default 1), rolled independently per request.
 *
 * <p>Faults compose as a list: every firing {@link Latency} or {@link LatencyDistribution} adds its delay; then the first firing
 * <em>terminal</em> fault in list order decides the answer ({@link CloudflarePage}, {@link EdgePage},
 * {@link HttpError}, {@link RateLimited}, {@link ErrorRate}, {@link Reset}, {@link BlackHole},
 * {@link BadBody}); if none
 * fires, the request is forwarded and every firing <em>rewrite</em> ({@link Lie}, {@link Lag},
 * {@link WrongChain}) is applied to it, element-wise for JSON-RPC batches.
 *
 * <p>Immutable values; validated on construction with messages like {@code "p: 1.5 (expected: 0..1)"}.
 */
public sealed interface Fault {

    /** The probability in [0, 1] that this fault fires on a given request. */
    double p();

    /** This fault with another probability. */
    Fault withP(double p);

    /** Statuses Cloudflare answers with itself, with its own error page. */
    Set<Integer> CLOUDFLARE_STATUSES = Set.of(500, 502, 520, 521, 522, 523, 524, 525, 526, 530);

    /** Methods a {@link Lie} answers with zero by default: what wallets show as balances. */
    Set<String> DEFAULT_LIE_METHODS = Set.of("eth_getBalance", "eth_getTransactionCount");

    /** A Cloudflare error page: Cloudflare's headers ({@code server}, {@code cf-ray}) and HTML body. */
    static Fault cloudflare(int status) {
        return new CloudflarePage(status, 1);
    }

    /**
     * Another edge vendor's own error answer, with its real headers and page: CloudFront's "The request
     * could not be satisfied" ({@code x-cache: Error from cloudfront}), an AWS load balancer's
     * ({@code server: awselb/2.0}), Fastly's "Guru Meditation", Akamai's "Reference #".
     */
    static Fault edge(EdgePage.Edge edge, int status) {
        return new EdgePage(edge, status, 1);
    }

    /** Any vendor's error answer: a status, headers and a body, as given. */
    static Fault http(int status, Map<String, String> headers, String body) {
        return new HttpError(status, headers, body, 1);
    }

    /** {@code 429 Too Many Requests} with {@code Retry-After: retryAfterSeconds}. */
    static Fault rateLimited(int retryAfterSeconds) {
        return new RateLimited(retryAfterSeconds, 1);
    }

    /** A fraction {@code p} of requests answered with {@code status} and a short text body. */
    static Fault errorRate(double p, int status) {
        return new ErrorRate(status, p);
    }

    /** A fixed added delay before the request is handled. */
    static Fault latency(Duration delay) {
        return new Latency(delay, Duration.ZERO, 1);
    }

    /** An added delay of {@code delay} plus a uniformly random {@code [0, jitter]}. */
    static Fault latency(Duration delay, Duration jitter) {
        return new Latency(delay, jitter, 1);
    }

    /**
     * An added delay drawn from a log-normal distribution with median {@code p50} and 99th percentile
     * {@code p99}: mostly moderate, with the long tail of a congested provider.
     */
    static Fault latency(LatencyDistribution.Percentiles percentiles) {
        return new LatencyDistribution(percentiles.p50(), percentiles.p99(), 1);
    }

    /** The connection is reset (TCP RST) after the request is read: the client gets no response. */
    static Fault reset() {
        return new Reset(1);
    }

    /** The request is read and never answered, until the client gives up. */
    static Fault blackHole() {
        return new BlackHole(1);
    }

    /** {@code 200 OK} with an HTML body instead of JSON. */
    static Fault notJson() {
        return new BadBody(BadBody.Kind.NOT_JSON, 1);
    }

    /** {@code 200 OK} with the upstream's real body cut in half (a complete HTTP message). */
    static Fault truncated() {
        return new BadBody(BadBody.Kind.TRUNCATED, 1);
    }

    /** The real {@code result} of {@link #DEFAULT_LIE_METHODS} replaced by {@code "0x0"}. */
    static Fault lie() {
        return new Lie(DEFAULT_LIE_METHODS, 1);
    }

    /**
     * The real {@code result} of {@code methods} replaced by {@code "0x0"}; an {@code eth_getProof}
     * keeps its proof nodes and claims balance and nonce {@code "0x0"}.
     */
    static Fault lie(Set<String> methods) {
        return new Lie(methods, 1);
    }

    /** The head frozen {@code blocks} behind the real head at the time the fault is set. */
    static Fault lag(int blocks) {
        return new Lag(blocks, 1);
    }

    /** {@code eth_chainId} (and {@code net_version}) answer {@code chainId}. */
    static Fault wrongChain(long chainId) {
        return new WrongChain(chainId, 1);
    }

    /** See {@link Fault#cloudflare(int)}. */
    record CloudflarePage(int status, double p) implements Fault {
        public CloudflarePage {
            if (!CLOUDFLARE_STATUSES.contains(status)) {
                throw new IllegalArgumentException("status: " + status
                        + " (expected: one of 500, 502, 520..526, 530)");
            }
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new CloudflarePage(status, p);
        }
    }

    /** See {@link Fault#edge(EdgePage.Edge, int)}. */
    record EdgePage(Edge edge, int status, double p) implements Fault {

        /** The edges whose error pages the proxy can serve, and the statuses each writes itself. */
        public enum Edge {
            CLOUDFRONT("cloudfront", Set.of(502, 503, 504)),
            AWS_ELB("aws_elb", Set.of(502, 503, 504)),
            FASTLY("fastly", Set.of(500, 502, 503, 504)),
            AKAMAI("akamai", Set.of(500, 502, 503, 504));

            private final String type;
            private final Set<Integer> statuses;

            Edge(String type, Set<Integer> statuses) {
                this.type = type;
                this.statuses = statuses;
            }

            /** The fault's {@code type} in JSON and YAML, e.g. {@code aws_elb}. */
            public String type() {
                return type;
            }

            /** The statuses this edge answers with its own page. */
            public Set<Integer> statuses() {
                return statuses;
            }
        }

        public EdgePage {
            Objects.requireNonNull(edge, "edge");
            if (!edge.statuses().contains(status)) {
                throw new IllegalArgumentException("status: " + status + " (expected: one of "
                        + edge.statuses().stream().sorted().map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(", ")) + ")");
            }
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new EdgePage(edge, status, p);
        }
    }

    /** See {@link Fault#http(int, Map, String)}; headers keep their order. */
    record HttpError(int status, Map<String, String> headers, String body, double p) implements Fault {
        public HttpError {
            checkStatus(status);
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            Objects.requireNonNull(body, "body");
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new HttpError(status, headers, body, p);
        }
    }

    /** See {@link Fault#rateLimited(int)}. */
    record RateLimited(int retryAfterSeconds, double p) implements Fault {
        public RateLimited {
            if (retryAfterSeconds < 0) {
                throw new IllegalArgumentException("retryAfterSeconds: " + retryAfterSeconds
                        + " (expected: >= 0)");
            }
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new RateLimited(retryAfterSeconds, p);
        }
    }

    /** See {@link Fault#errorRate(double, int)}. */
    record ErrorRate(int status, double p) implements Fault {
        public ErrorRate {
            checkStatus(status);
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new ErrorRate(status, p);
        }
    }

    /** See {@link Fault#latency(Duration, Duration)}. */
    record Latency(Duration delay, Duration jitter, double p) implements Fault {
        public Latency {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
            }
            if (jitter.isNegative()) {
                throw new IllegalArgumentException("jitter: " + jitter + " (expected: >= 0)");
            }
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new Latency(delay, jitter, p);
        }
    }

    /** See {@link Fault#latency(LatencyDistribution.Percentiles)}. */
    record LatencyDistribution(Duration p50, Duration p99, double p) implements Fault {

        /** A median and a 99th percentile, {@code p99 >= p50 > 0}. */
        public record Percentiles(Duration p50, Duration p99) {
        }

        private static final double Z99 = 2.3263478740408408;

        public LatencyDistribution {
            if (!p50.isPositive()) {
                throw new IllegalArgumentException("p50: " + p50 + " (expected: > 0)");
            }
            if (p99.compareTo(p50) < 0) {
                throw new IllegalArgumentException("p99: " + p99 + " (expected: >= p50 " + p50 + ")");
            }
            checkP(p);
        }

        /** One delay: {@code p50 * exp(sigma * z)} for a standard normal {@code z}. */
        public Duration sample(java.util.random.RandomGenerator random) {
            double sigma = Math.log((double) p99.toNanos() / p50.toNanos()) / Z99;
            return Duration.ofNanos((long) (p50.toNanos() * Math.exp(sigma * random.nextGaussian())));
        }

        @Override
        public Fault withP(double p) {
            return new LatencyDistribution(p50, p99, p);
        }
    }

    /** See {@link Fault#reset()}. */
    record Reset(double p) implements Fault {
        public Reset {
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new Reset(p);
        }
    }

    /** See {@link Fault#blackHole()}. */
    record BlackHole(double p) implements Fault {
        public BlackHole {
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new BlackHole(p);
        }
    }

    /** See {@link Fault#notJson()} and {@link Fault#truncated()}. */
    record BadBody(Kind kind, double p) implements Fault {
        /** What is wrong with the body. */
        public enum Kind { NOT_JSON, TRUNCATED }

        public BadBody {
            Objects.requireNonNull(kind, "kind");
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new BadBody(kind, p);
        }
    }

    /** See {@link Fault#lie(Set)}. */
    record Lie(Set<String> methods, double p) implements Fault {
        public Lie {
            methods = Set.copyOf(methods);
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new Lie(methods, p);
        }
    }

    /** See {@link Fault#lag(int)}. */
    record Lag(int blocks, double p) implements Fault {
        public Lag {
            if (blocks < 0) {
                throw new IllegalArgumentException("blocks: " + blocks + " (expected: >= 0)");
            }
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new Lag(blocks, p);
        }
    }

    /** See {@link Fault#wrongChain(long)}. */
    record WrongChain(long chainId, double p) implements Fault {
        public WrongChain {
            if (chainId < 0) {
                throw new IllegalArgumentException("chainId: " + chainId + " (expected: >= 0)");
            }
            checkP(p);
        }

        @Override
        public Fault withP(double p) {
            return new WrongChain(chainId, p);
        }
    }

    private static void checkP(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p: " + p + " (expected: 0..1)");
        }
    }

    private static void checkStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
        }
    }
}
