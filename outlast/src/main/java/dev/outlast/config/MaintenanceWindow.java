package dev.outlast.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code maintenance:} window, for a subject (an upstream {@code chain/upstream}, an origin or a
 * probe id) or for every subject of a vendor. Either one-off ({@code start}/{@code end}) or weekly
 * ({@code days} + {@code from}/{@code to}), in {@code timeZone}. Alerts for its subjects are muted
 * while it lasts; upstreams are drained {@code drainBefore} ahead of it.
 *
 * @param name        shown on the status page
 * @param subject     a subject id, or {@code null} when {@code vendor} is set
 * @param vendor      a vendor label such as {@code cloudflare}, or {@code null}
 * @param start       one-off start (local time in the zone), or {@code null} when weekly
 * @param end         one-off end, or {@code null} when weekly
 * @param days        weekly: the days it recurs on (empty for one-off)
 * @param from        weekly: the local start time
 * @param to          weekly: the local end time (may be before {@code from}: ends the next day)
 * @param zone        the time zone, default UTC
 * @param drainBefore how long before the window traffic is drained, default 2m
 */
public record MaintenanceWindow(String name, String subject, String vendor, LocalDateTime start, LocalDateTime end,
                                Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone,
                                Duration drainBefore) {

    public static final Duration DEFAULT_DRAIN_BEFORE = Duration.ofMinutes(2);

    /** One occurrence of the window. */
    public record Occurrence(Instant start, Instant end) {
    }

    public MaintenanceWindow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
        days = Set.copyOf(days);
        if ((subject == null) == (vendor == null)) {
            throw new IllegalArgumentException("maintenance: exactly one of subject and vendor");
        }
    }

    /** Whether the window concerns the subject {@code subjectId} whose vendor is {@code vendorLabel} (may be null). */
    public boolean covers(String subjectId, String vendorLabel) {
        return subject != null ? subject.equals(subjectId) : vendor.equalsIgnoreCase(String.valueOf(vendorLabel));
    }

    /** The occurrence in progress at {@code now}, or the next one; empty when none is left. */
    public Optional<Occurrence> currentOrNext(Instant now) {
        if (start != null) {
            Instant s = start.atZone(zone).toInstant();
            Instant e = end.atZone(zone).toInstant();
            return now.isBefore(e) ? Optional.of(new Occurrence(s, e)) : Optional.empty();
        }
        ZonedDateTime local = now.atZone(zone);
        for (int back = -1; back <= 7; back++) {
            ZonedDateTime day = local.toLocalDate().plusDays(back).atStartOfDay(zone);
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime s = day.with(from);
            ZonedDateTime e = to.isAfter(from) ? day.with(to) : day.plusDays(1).with(to);
            if (now.isBefore(e.toInstant())) {
                return Optional.of(new Occurrence(s.toInstant(), e.toInstant()));
            }
        }
        return Optional.empty();
    }

    /** Whether the window is in progress at {@code now}. */
    public boolean activeAt(Instant now) {
        return currentOrNext(now).filter(o -> !now.isBefore(o.start())).isPresent();
    }

    /** Whether traffic should be drained at {@code now}: in the window or within {@code drainBefore} of it. */
    public boolean drainsAt(Instant now) {
        return currentOrNext(now).filter(o -> !now.plus(drainBefore).isBefore(o.start())).isPresent();
    }
}
