package dev.outlast.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The active health check of a site's origins: {@code GET path} on every origin every
 * {@code interval}; an answer with the expected status within {@code timeout} is a success.
 *
 * @param path           request path, starting with {@code /}, default {@value #DEFAULT_PATH}
 * @param interval       time between two checks of one origin, default {@link #DEFAULT_INTERVAL}
 * @param timeout        how long a check waits for the answer, default {@link #DEFAULT_TIMEOUT}
 * @param expectedStatus the status that counts as healthy, or 0 (the default) for any status from
 *                       200 to 399
 */
public record HealthCheckConfig(String path, Duration interval, Duration timeout, int expectedStatus) {

    public static final String DEFAULT_PATH = "/";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final HealthCheckConfig DEFAULT =
            new HealthCheckConfig(DEFAULT_PATH, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, 0);

    public HealthCheckConfig {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: \"" + path + "\" (expected: a path starting with /)");
        }
        ChainConfig.requirePositive("interval", interval);
        ChainConfig.requirePositive("timeout", timeout);
        if (expectedStatus != 0 && (expectedStatus < 100 || expectedStatus > 599)) {
            throw new IllegalArgumentException("expectedStatus: " + expectedStatus + " (expected: 100..599)");
        }
    }

    /** Whether an answer with {@code status} counts as healthy. */
    public boolean accepts(int status) {
        return expectedStatus == 0 ? status >= 200 && status < 400 : status == expectedStatus;
    }
}
