package dev.outlast.store;

import dev.outlast.config.StorageConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * Incident history and per-minute subject results over JDBC, in SQLite (a file, or memory) or
 * PostgreSQL. {@link #open} applies the Flyway migrations first.
 *
 * <h2>Implementation note</h2>
 * One connection, used under this object's lock: the writes are a few per second at most and the
 * reads are the status page's, so a pool buys nothing, and SQLite wants a single writer anyway.
 * A statement that fails on a broken connection is retried once on a new one (PostgreSQL restarts).
 * The SQL is the common subset of both databases ({@code INSERT ... ON CONFLICT DO UPDATE}, integer
 * epoch milliseconds); per-minute counts are added to, never overwritten, so flushing a partial
 * minute twice is safe.
 *
 * <p>Thread-safe. Every method blocks on the database: call it off the event loop.
 */
public final class HistoryStore implements AutoCloseable {

    private static final long DAY_MS = 86_400_000L;

    private final String url;
    private final String user;
    private final String password;
    private final String description;
    private Connection connection;

    private HistoryStore(String url, String user, String password, String description) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.description = description;
    }

    /**
     * Opens the configured database and migrates it.
     *
     * @throws StoreException when it cannot be reached or migrated
     */
    public static HistoryStore open(StorageConfig config) {
        String url = config.jdbcUrl();
        String description;
        if (config.isPostgres()) {
            description = "PostgreSQL " + url.replaceAll("//[^@/]*@", "//***@").replaceAll("password=[^&]*", "password=***");
        } else if (config.sqlitePath() == null) {
            url = "jdbc:sqlite:file:outlast-" + UUID.randomUUID() + "?mode=memory&cache=shared";
            description = "SQLite in memory";
        } else {
            description = "SQLite " + config.sqlitePath();
        }
        HistoryStore store = new HistoryStore(url, config.postgresUser(), config.postgresPassword(), description);
        try {
            store.connection();
            Flyway.configure()
                    .dataSource(url, config.postgresUser(), config.postgresPassword())
                    .locations("classpath:db/history")
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (SQLException | RuntimeException e) {
            store.close();
            throw new StoreException("cannot open the history store (" + description + "): " + rootMessage(e), e);
        }
        return store;
    }

    /** Where the history is kept, with any password hidden. */
    public String description() {
        return description;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
        }
        return connection;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private synchronized <T> T withConnection(String what, Work<T> work) {
        try {
            return work.run(connection());
        } catch (SQLException first) {
            try {
                if (connection != null && !connection.isClosed() && connection.isValid(2)) {
                    throw first;
                }
                closeQuietly();
                return work.run(connection());
            } catch (SQLException e) {
                throw new StoreException("history store: cannot " + what + ": " + rootMessage(e), e);
            }
        }
    }

    @FunctionalInterface
    private interface Statements {
        void run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: all of it or nothing. */
    private void inTransaction(String what, Statements work) {
        withConnection(what, c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
    }

    /** Inserts or replaces one incident and its whole timeline. */
    public void saveIncident(StoredIncident i) {
        inTransaction("save incident " + i.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO incidents (id, parent_id, subject_kind, subject_id, subject_group, subject_name,
                        vendor, locations, severity, state, opened_at, resolved_at, acknowledged_by, generated_by,
                        subject_vendor)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, vendor = excluded.vendor,
                        locations = excluded.locations, severity = excluded.severity, state = excluded.state,
                        resolved_at = excluded.resolved_at, acknowledged_by = excluded.acknowledged_by,
                        generated_by = excluded.generated_by, subject_vendor = excluded.subject_vendor""")) {
                s.setString(1, i.id());
                s.setString(2, i.parentId());
                s.setString(3, i.subjectKind());
                s.setString(4, i.subjectId());
                s.setString(5, i.subjectGroup());
                s.setString(6, i.subjectName());
                s.setString(7, i.vendor());
                s.setString(8, String.join(",", i.locations()));
                s.setString(9, i.severity());
                s.setString(10, i.state());
                s.setLong(11, i.openedAt().toEpochMilli());
                if (i.resolvedAt() == null) {
                    s.setNull(12, Types.BIGINT);
                } else {
                    s.setLong(12, i.resolvedAt().toEpochMilli());
                }
                s.setString(13, i.acknowledgedBy());
                s.setString(14, i.generatedBy());
                s.setString(15, i.subjectVendor());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM incident_events WHERE incident_id = ?")) {
                s.setString(1, i.id());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO incident_events (incident_id, seq, at, type, message) VALUES (?, ?, ?, ?, ?)")) {
                int seq = 0;
                for (StoredIncident.Event e : i.events()) {
                    s.setString(1, i.id());
                    s.setInt(2, seq++);
                    s.setLong(3, e.at().toEpochMilli());
                    s.setString(4, e.type());
                    s.setString(5, e.message());
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    /** The {@code limit} most recently opened incidents, newest first, with their timelines. */
    public List<StoredIncident> incidents(int limit) {
        return withConnection("read incidents", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM incidents ORDER BY opened_at DESC, id DESC LIMIT ?")) {
                s.setInt(1, limit);
                return readIncidents(c, s);
            }
        });
    }

    public Optional<StoredIncident> incident(String id) {
        return withConnection("read incident " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM incidents WHERE id = ?")) {
                s.setString(1, id);
                return readIncidents(c, s).stream().findFirst();
            }
        });
    }

    private static List<StoredIncident> readIncidents(Connection c, PreparedStatement s) throws SQLException {
        List<StoredIncident> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                long resolved = r.getLong("resolved_at");
                Instant resolvedAt = r.wasNull() ? null : Instant.ofEpochMilli(resolved);
                String locations = r.getString("locations");
                out.add(new StoredIncident(r.getString("id"), r.getString("parent_id"), r.getString("subject_kind"),
                        r.getString("subject_id"), r.getString("subject_group"), r.getString("subject_name"),
                        r.getString("vendor"), locations.isEmpty() ? List.of() : Arrays.asList(locations.split(",")),
                        r.getString("severity"), r.getString("state"), Instant.ofEpochMilli(r.getLong("opened_at")),
                        resolvedAt, r.getString("acknowledged_by"), List.of(), r.getString("generated_by"),
                        r.getString("subject_vendor")));
            }
        }
        List<StoredIncident> withEvents = new ArrayList<>(out.size());
        try (PreparedStatement e = c.prepareStatement(
                "SELECT at, type, message FROM incident_events WHERE incident_id = ? ORDER BY seq")) {
            for (StoredIncident i : out) {
                e.setString(1, i.id());
                List<StoredIncident.Event> events = new ArrayList<>();
                try (ResultSet r = e.executeQuery()) {
                    while (r.next()) {
                        events.add(new StoredIncident.Event(Instant.ofEpochMilli(r.getLong(1)), r.getString(2),
                                r.getString(3)));
                    }
                }
                withEvents.add(i.withEvents(events));
            }
        }
        return withEvents;
    }

    /**
     * Adds per-minute counts (to any already stored for the same subject and minute).
     *
     * @param rows each {@code {minute epoch ms, ok, failed, latency sum ms}} with its subject id
     */
    public void addMinutes(List<MinuteRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        inTransaction("add results", c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO subject_minutes (subject_id, minute, ok, failed, latency_sum_ms) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (subject_id, minute) DO UPDATE SET ok = subject_minutes.ok + excluded.ok,
                        failed = subject_minutes.failed + excluded.failed,
                        latency_sum_ms = subject_minutes.latency_sum_ms + excluded.latency_sum_ms""")) {
                for (MinuteRow row : rows) {
                    s.setString(1, row.subjectId());
                    s.setLong(2, row.minute().toEpochMilli());
                    s.setLong(3, row.ok());
                    s.setLong(4, row.failed());
                    s.setLong(5, row.latencySumMs());
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    /** One subject's results in one minute. */
    public record MinuteRow(String subjectId, Instant minute, long ok, long failed, long latencySumMs) {
    }

    /** Per subject, per UTC day since {@code since}: the counts, oldest day first. */
    public Map<String, List<Uptime>> dailyUptime(Instant since) {
        return withConnection("read uptime", c -> {
            Map<String, List<Uptime>> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT subject_id, minute / %d AS day, SUM(ok), SUM(failed) FROM subject_minutes
                    WHERE minute >= ? GROUP BY subject_id, minute / %d ORDER BY subject_id, day"""
                    .formatted(DAY_MS, DAY_MS))) {
                s.setLong(1, since.toEpochMilli());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                                .add(new Uptime(LocalDate.ofEpochDay(r.getLong(2)), r.getLong(3), r.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    /** Deletes per-minute results older than {@code before}; returns how many rows went. */
    public int prune(Instant before) {
        return withConnection("prune results", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM subject_minutes WHERE minute < ?")) {
                s.setLong(1, before.toEpochMilli());
                return s.executeUpdate();
            }
        });
    }

    /**
     * Resolves incidents a previous run left open (their end was not seen), with a timeline entry
     * saying so; returns how many.
     */
    public int closeDangling(Instant at) {
        List<StoredIncident> open = withConnection("read open incidents", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM incidents WHERE state = 'open'")) {
                return readIncidents(c, s);
            }
        });
        for (StoredIncident i : open) {
            List<StoredIncident.Event> events = new ArrayList<>(i.events());
            events.add(new StoredIncident.Event(at, "resolved", "closed at restart: Outlast stopped while it was open"));
            saveIncident(new StoredIncident(i.id(), i.parentId(), i.subjectKind(), i.subjectId(), i.subjectGroup(),
                    i.subjectName(), i.vendor(), i.locations(), i.severity(), "resolved", i.openedAt(), at,
                    i.acknowledgedBy(), events, i.generatedBy(), i.subjectVendor()));
        }
        return open.size();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a broken connection: nothing more to do.
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
