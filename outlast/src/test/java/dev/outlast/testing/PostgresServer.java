package dev.outlast.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL for tests: {@code initdb} into a temp directory, {@code pg_ctl start}
 * on a free port on 127.0.0.1, {@link #close()} stops it and deletes the directory.
 *
 * <p>PostgreSQL refuses to run as root: when the tests run as root, the data directory is owned by
 * the unprivileged {@code postgres} user (or {@code outlast-pg}, created with {@code useradd} if
 * neither exists) and the binaries run through {@code runuser -u USER --}. The binaries are looked
 * for on the PATH and under {@code /usr/lib/postgresql/N/bin} (Debian).
 */
public final class PostgresServer implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final String runAs;
    private final int port;

    private PostgresServer(Path bin, Path dir, String runAs, int port) {
        this.bin = bin;
        this.dir = dir;
        this.runAs = runAs;
        this.port = port;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = findBin();
        String runAs = isRoot() ? unprivilegedUser() : null;
        Path dir = Files.createTempDirectory("outlast-pg-");
        if (runAs != null) {
            run(List.of("chown", runAs, dir.toString()));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer pg = new PostgresServer(bin, dir, runAs, port);
        Path data = dir.resolve("data");
        pg.pg(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "outlast", "-A", "trust",
                "-E", "UTF8", "--no-sync"));
        pg.pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "30", "-o", "-p " + port + " -h 127.0.0.1 -k " + dir + " -F", "start"));
        return pg;
    }

    /** The JDBC URL of the {@code postgres} database, user {@code outlast}, no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=outlast";
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (runAs != null) {
            full.addAll(List.of("runuser", "-u", runAs, "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").start();
        String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return "0".equals(uid);
    }

    private static String unprivilegedUser() throws IOException, InterruptedException {
        for (String user : List.of("postgres", "outlast-pg")) {
            if (new ProcessBuilder("id", "-u", user).start().waitFor() == 0) {
                return user;
            }
        }
        run(List.of("useradd", "--system", "--no-create-home", "outlast-pg"));
        return "outlast-pg";
    }

    private static Path findBin() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.naturalOrder()).orElse(null);
                if (found != null) {
                    return found;
                }
            }
        }
        throw new IOException("PostgreSQL's initdb is not installed (apt-get install -y postgresql)");
    }

    @Override
    public void close() throws IOException {
        try {
            pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL", e);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
