package dev.outlast.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One extra active probe under {@code monitoring.probes}.
 *
 * @param name         unique name; the probe's subject id is {@code probe/NAME}
 * @param type         what it checks
 * @param url          for {@code http} and {@code jsonrpc}
 * @param host         for {@code tcp}, {@code tls} and {@code dns}
 * @param port         for {@code tcp} and {@code tls} (default 443 for tls)
 * @param interval     time between runs, default {@link #DEFAULT_INTERVAL}
 * @param timeout      per run, default {@link #DEFAULT_TIMEOUT}
 * @param expectStatus for {@code http}: the expected status, default 200
 * @param maxLatency   fails the run when slower; {@code null} for no limit
 * @param headers      for {@code http}: response headers that must contain the given text
 * @param conditions   for {@code http} (JSON body) and {@code jsonrpc} (the response): all must hold
 * @param method       for {@code jsonrpc}
 * @param params       for {@code jsonrpc}: the params as JSON text, default {@code []}
 * @param minValidity  for {@code tls}: the certificate must be valid at least this much longer, default 14 days
 * @param vendor       the vendor in front of the target, when known in advance ({@code null} otherwise)
 */
public record ProbeConfig(String name, Type type, URI url, String host, int port, Duration interval,
                          Duration timeout, int expectStatus, Duration maxLatency, Map<String, String> headers,
                          List<Condition> conditions, String method, String params, Duration minValidity,
                          String vendor) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MIN_VALIDITY = Duration.ofDays(14);

    /** The kinds of probe. */
    public enum Type { HTTP, JSONRPC, TCP, TLS, DNS }

    /**
     * One condition on a JSON document: the value at {@code path} (a JSON pointer such as
     * {@code /result/timestamp}, or dotted {@code result.timestamp}) compared by {@code op}.
     */
    public record Condition(String path, Op op, String value) {

        public Condition {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(op, "op");
        }
    }

    /**
     * Comparisons: numbers may be decimal or {@code 0x} hex; {@code ageBelow} reads the value as unix
     * seconds and compares its age with a duration ({@code 60s}).
     */
    public enum Op { EQUALS, NOT_EQUALS, CONTAINS, LESS_THAN, GREATER_THAN, AGE_BELOW, EXISTS }

    public ProbeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        headers = Map.copyOf(headers);
        conditions = List.copyOf(conditions);
    }
}
