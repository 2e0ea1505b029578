package dev.outlast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds the ganache the repository pins ({@code tools/ganache}), installing it with {@code npm ci}
 * from the lock file when {@code node_modules} is missing. Thread-safe (installs at most once).
 */
final class GanacheInstall {

    private static Path cli;

    private GanacheInstall() {
    }

    /** The ganache CLI script, installed if needed; run it with {@code node}. */
    static synchronized Path cli() {
        if (cli != null) {
            return cli;
        }
        Path dir = repoRoot().resolve("tools/ganache");
        Path bin = dir.resolve("node_modules/.bin/ganache");
        if (!Files.exists(bin)) {
            npmCi(dir);
        }
        try {
            cli = bin.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("ganache not found at " + bin + " after npm ci", e);
        }
        return cli;
    }

    /** The nearest directory at or above the working directory that holds {@code mvnw}. */
    static Path repoRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no mvnw at or above " + start + " (expected: inside the repository)");
    }

    private static void npmCi(Path dir) {
        Path log = Path.of("target", "ganache", "npm-ci.log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            Process npm = new ProcessBuilder("npm", "ci", "--prefix", dir.toString(), "--no-audit", "--no-fund",
                    "--loglevel=error")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + dir + " took over 5 minutes; see " + log);
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed (exit " + npm.exitValue() + "): "
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run npm ci in " + dir + " (is Node.js installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during npm ci", e);
        }
    }
}
