package dev.outlast.frontdoor.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a steered hostname resolves to: one {@code CNAME}, or one or more {@code A} or {@code AAAA}
 * addresses, with the TTL written on the record. Writing a record set replaces every {@code CNAME},
 * {@code A} and {@code AAAA} record the name had.
 *
 * @param hostname the fully qualified name, lower case, without the trailing dot ({@code www.example.com})
 * @param type     the record type
 * @param values   a CNAME's target (one, without the trailing dot), or the addresses in text form
 * @param ttl      the TTL, whole seconds, at least one
 *
 * <p>Thread-safe (immutable).
 */
public record RecordSet(String hostname, Type type, List<String> values, Duration ttl) {

    /** The record types a front door writes. */
    public enum Type { CNAME, A, AAAA }

    public RecordSet {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ttl, "ttl");
        values = List.copyOf(values);
        if (values.isEmpty() || type == Type.CNAME && values.size() != 1) {
            throw new IllegalArgumentException("values: " + values + " (expected: one CNAME target or addresses)");
        }
    }

    /** Whether {@code other} points at the same place: same type and values, in any order (the TTL aside). */
    public boolean sameTarget(RecordSet other) {
        return other != null && type == other.type && values.size() == other.values.size()
               && values.containsAll(other.values);
    }
}
