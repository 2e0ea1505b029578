package dev.outlast.frontdoor;

import dev.outlast.monitor.Health;
import java.util.Objects;

/**
 * What {@link Steering} concluded at one moment.
 *
 * @param kind     stay, move, or hold (something is wrong, and the record deliberately stays)
 * @param target   for {@link Kind#MOVE}: the target moved to; otherwise the active one
 * @param reason   human words with the probe results and attribution behind it; {@code null} for a
 *                 plain {@link Kind#STAY}
 * @param severity for a hold: how bad it is for users ({@link Health#DOWN} when the active path fails);
 *                 {@link Health#OK} otherwise
 * @param cause    a stable word for why: {@code path_failed}, {@code maintenance}, {@code failback},
 *                 {@code pinned}, {@code forced}, {@code origin_failing}, {@code every_target_failing},
 *                 {@code no_target_passing}, {@code not_path}, {@code damped}; {@code null} for a plain stay
 *
 * <p>Thread-safe (immutable).
 */
public record Decision(Kind kind, String target, String reason, Health severity, String cause) {

    /** The kinds of decision. */
    public enum Kind {
        /** Nothing to do. */
        STAY,
        /** The record moves to {@link #target()}. */
        MOVE,
        /** The active path has a problem, and moving would not help or is not allowed now. */
        HOLD
    }

    /** The words said when every path fails with the origin's own errors. */
    public static final String ORIGIN_FAILING = "origin failing behind every CDN; steering would not help";

    public Decision {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(severity, "severity");
    }

    static Decision stay(String active) {
        return new Decision(Kind.STAY, active, null, Health.OK, null);
    }

    static Decision move(String target, String cause, String reason) {
        return new Decision(Kind.MOVE, target, reason, Health.OK, cause);
    }

    static Decision hold(String active, String cause, String reason, Health severity) {
        return new Decision(Kind.HOLD, active, reason, severity, cause);
    }
}
