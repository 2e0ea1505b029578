package dev.outlast.config;

import java.nio.file.Path;

/**
 * {@code storage:} where incident history and downsampled results are kept: an SQLite file by
 * default, PostgreSQL when {@code postgres.url} is set.
 *
 * @param sqlitePath       the SQLite file, default {@value #DEFAULT_SQLITE_PATH}; {@code null} keeps the
 *                         history in memory only (used when a config is built in code, as tests do)
 * @param postgresUrl      a {@code jdbc:postgresql://} URL, or {@code null}
 * @param postgresUser     may be {@code null} (then taken from the URL)
 * @param postgresPassword may be {@code null}
 */
public record StorageConfig(Path sqlitePath, String postgresUrl, String postgresUser, String postgresPassword) {

    public static final String DEFAULT_SQLITE_PATH = "outlast-history.db";

    /** What a config file without {@code storage:} gets. */
    public static final StorageConfig DEFAULT = new StorageConfig(Path.of(DEFAULT_SQLITE_PATH), null, null, null);

    /** History in an in-memory SQLite database, lost on exit. */
    public static final StorageConfig IN_MEMORY = new StorageConfig(null, null, null, null);

    public static StorageConfig sqlite(Path file) {
        return new StorageConfig(file, null, null, null);
    }

    public static StorageConfig postgres(String url, String user, String password) {
        return new StorageConfig(null, url, user, password);
    }

    public boolean isPostgres() {
        return postgresUrl != null;
    }

    /** The JDBC URL to connect to. */
    public String jdbcUrl() {
        if (postgresUrl != null) {
            return postgresUrl;
        }
        return sqlitePath == null ? "jdbc:sqlite::memory:" : "jdbc:sqlite:" + sqlitePath;
    }
}
