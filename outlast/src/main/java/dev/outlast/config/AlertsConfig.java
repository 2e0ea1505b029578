package dev.outlast.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code alerts:} where incident alerts go.
 *
 * @param webhooks    the receivers; none by default
 * @param maxAttempts attempts per alert and receiver, default {@value #DEFAULT_MAX_ATTEMPTS}
 * @param backoff     wait before the first retry, doubling after each, default 1s
 */
public record AlertsConfig(List<Webhook> webhooks, int maxAttempts, Duration backoff) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    public static final AlertsConfig DEFAULT = new AlertsConfig(List.of(), DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF);

    /** The body a receiver gets: Outlast's JSON document, or Slack's {@code {"text": ...}}. */
    public enum Format { JSON, SLACK }

    /** One receiver. */
    public record Webhook(String name, URI url, Format format) {

        public Webhook {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(format, "format");
        }
    }

    public AlertsConfig {
        webhooks = List.copyOf(webhooks);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
        }
    }
}
