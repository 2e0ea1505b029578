package dev.outlast.monitor.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.ProbeConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Evaluates {@link ProbeConfig.Condition}s on a JSON document. Paths are JSON pointers
 * ({@code /result/timestamp}) or dotted ({@code result.timestamp}, {@code items.0.id}). Numbers may
 * be decimal or {@code 0x} hex, as JSON numbers or strings.
 *
 * <p>Thread-safe (stateless).
 */
final class Conditions {

    private Conditions() {
    }

    /** The first condition that does not hold, described, or {@code null} when all hold. */
    static String firstFailing(JsonNode doc, List<ProbeConfig.Condition> conditions, Instant now) {
        for (ProbeConfig.Condition c : conditions) {
            String why = check(doc, c, now);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String check(JsonNode doc, ProbeConfig.Condition c, Instant now) {
        String pointer = c.path().startsWith("/") ? c.path() : "/" + c.path().replace('.', '/');
        JsonNode v = doc.at(pointer);
        boolean present = !v.isMissingNode() && !v.isNull();
        String text = v.isValueNode() ? v.asText() : v.toString();
        switch (c.op()) {
            case EXISTS -> {
                return present == Boolean.parseBoolean(c.value()) ? null
                        : c.path() + (present ? " is present" : " is missing");
            }
            case EQUALS -> {
                return present && (text.equals(c.value()) || numbersEqual(text, c.value())) ? null
                        : c.path() + " is " + shown(v) + ", expected " + c.value();
            }
            case NOT_EQUALS -> {
                return !present || !(text.equals(c.value()) || numbersEqual(text, c.value())) ? null
                        : c.path() + " is " + c.value();
            }
            case CONTAINS -> {
                return present && text.contains(c.value()) ? null
                        : c.path() + " is " + shown(v) + ", expected it to contain " + c.value();
            }
            case LESS_THAN, GREATER_THAN -> {
                BigDecimal n = number(text);
                if (!present || n == null) {
                    return c.path() + " is " + shown(v) + ", expected a number";
                }
                int cmp = n.compareTo(number(c.value()));
                boolean ok = c.op() == ProbeConfig.Op.LESS_THAN ? cmp < 0 : cmp > 0;
                return ok ? null : c.path() + " is " + n + ", expected " + (c.op() == ProbeConfig.Op.LESS_THAN
                        ? "less than " : "greater than ") + c.value();
            }
            case AGE_BELOW -> {
                BigDecimal seconds = number(text);
                if (!present || seconds == null) {
                    return c.path() + " is " + shown(v) + ", expected unix seconds";
                }
                Duration age = Duration.between(Instant.ofEpochSecond(seconds.longValue()), now);
                Duration max = Duration.ofMillis(Long.parseLong(c.value()));
                return age.compareTo(max) < 0 ? null
                        : c.path() + " is " + age.toSeconds() + " s old, expected under " + max.toSeconds() + " s";
            }
            default -> throw new AssertionError(c.op());
        }
    }

    private static String shown(JsonNode v) {
        return v.isMissingNode() ? "missing" : v.toString();
    }

    private static boolean numbersEqual(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        return x != null && y != null && x.compareTo(y) == 0;
    }

    static BigDecimal number(String text) {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return new BigDecimal(new BigInteger(text.substring(2), 16));
            }
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
