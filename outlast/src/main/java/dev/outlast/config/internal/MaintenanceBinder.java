package dev.outlast.config.internal;

import dev.outlast.config.MaintenanceWindow;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Binds {@code maintenance}: windows for a {@code subject} (an upstream {@code chain/name}, an origin
 * or {@code probe/name}) or a {@code vendor}, one-off ({@code start}, {@code end}) or weekly
 * ({@code days}, {@code from}, {@code to}), in {@code timeZone}.
 */
final class MaintenanceBinder {

    private static final List<String> KEYS = List.of("name", "subject", "vendor", "start", "end", "days", "from", "to",
            "timeZone", "drainBefore");
    private static final String DATE_TIME = "a local date-time such as 2026-12-01T02:00";
    private static final String TIME = "a local time such as 02:00";
    private static final String DAYS = "a list of days such as [sat, sun]";

    private MaintenanceBinder() {
    }

    static Optional<List<MaintenanceWindow>> bindAll(Node node) {
        return node.each("a list of maintenance windows", null, null, MaintenanceBinder::bind);
    }

    private static Optional<MaintenanceWindow> bind(Node node) {
        Optional<Mapping> mapping = node.mapping(KEYS, "a maintenance window, a mapping with name, subject or vendor, "
                + "and start/end or days/from/to");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        String name = null;
        String subject = null;
        String vendor = null;
        LocalDateTime start = null;
        LocalDateTime end = null;
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        LocalTime from = null;
        LocalTime to = null;
        ZoneId zone = ZoneOffset.UTC;
        Duration drainBefore = MaintenanceWindow.DEFAULT_DRAIN_BEFORE;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "name" -> name = value.text("a name").orElse(null);
                case "subject" -> subject = value.text("a subject id such as devnet/alpha").orElse(null);
                case "vendor" -> vendor = value.as(VendorLabels.EXPECTED, VendorLabels::label).orElse(null);
                case "start" -> start = value.as(DATE_TIME, t -> parse(t, DATE_TIME, LocalDateTime::parse)).orElse(null);
                case "end" -> end = value.as(DATE_TIME, t -> parse(t, DATE_TIME, LocalDateTime::parse)).orElse(null);
                case "days" -> {
                    for (Node day : value.list(DAYS).orElse(List.of())) {
                        day.as("a day such as mon or monday", MaintenanceBinder::day).ifPresent(days::add);
                    }
                }
                case "from" -> from = value.as(TIME, t -> parse(t, TIME, LocalTime::parse)).orElse(null);
                case "to" -> to = value.as(TIME, t -> parse(t, TIME, LocalTime::parse)).orElse(null);
                case "timeZone" -> zone = value.as("a time zone such as Europe/Berlin or UTC",
                        t -> parse(t, "a time zone such as Europe/Berlin or UTC", ZoneId::of)).orElse(zone);
                case "drainBefore" -> drainBefore = value.duration(false).orElse(drainBefore);
                default -> throw new AssertionError(value.key());
            }
        }
        Mapping m = mapping.get();
        m.require("name", "a name");
        if (m.has("subject") == m.has("vendor")) {
            node.error("needs exactly one of subject and vendor");
        }
        boolean oneOff = m.has("start") || m.has("end");
        boolean weekly = m.has("days") || m.has("from") || m.has("to");
        if (oneOff == weekly) {
            node.error("needs either start and end, or days, from and to");
        } else if (oneOff) {
            m.require("start", DATE_TIME);
            m.require("end", DATE_TIME);
            if (start != null && end != null && !end.isAfter(start)) {
                node.child("end", null).error(end + " (expected: after start, " + start + ")");
            }
        } else {
            m.require("days", DAYS);
            m.require("from", TIME);
            m.require("to", TIME);
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(new MaintenanceWindow(name, subject, vendor, start, end, days, from, to, zone, drainBefore));
    }

    private static <T> T parse(String text, String expected, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (DateTimeException e) {
            throw new BadValue(expected);
        }
    }

    private static DayOfWeek day(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (t.equals(full) || t.equals(full.substring(0, 3))) {
                return d;
            }
        }
        throw new BadValue("a day such as mon or monday");
    }
}
