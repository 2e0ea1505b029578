package dev.outlast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real BIND 9 {@code named} (Debian's {@code bind9}; {@code .ci/run} installs it) on a free loopback port,
 * in the foreground, primary for one zone that a TSIG key may update, with no recursion and no control
 * channel. Stopped (and its process checked gone) by {@link #close()}.
 */
public final class BindServer implements AutoCloseable {

    /** Where Debian installs {@code named}. */
    public static final Path NAMED = Path.of("/usr/sbin/named");
    public static final String KEY_NAME = "outlast";
    public static final String ALGORITHM = "hmac-sha256";

    private final Path dir;
    private final int port;
    private final String zone;
    private final String secret;
    private final Process process;

    private BindServer(Path dir, int port, String zone, String secret, Process process) {
        this.dir = dir;
        this.port = port;
        this.zone = zone;
        this.secret = secret;
        this.process = process;
    }

    /**
     * Starts {@code named} serving {@code zone} (SOA, NS and {@code ns1} only) on 127.0.0.1; fails with a clear
     * message when {@code named} is missing or does not answer within 20 s.
     */
    public static BindServer start(String zone) {
        if (!Files.isExecutable(NAMED)) {
            throw new IllegalStateException(NAMED + " is missing: apt-get install -y bind9 (.ci/run installs it)");
        }
        try {
            Path dir = Files.createTempDirectory("outlast-named");
            int port = freePort();
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String secret = Base64.getEncoder().encodeToString(key);
            Files.writeString(dir.resolve(zone + ".zone"), """
                    $TTL 300
                    @ IN SOA ns1.%1$s. hostmaster.%1$s. 1 3600 600 86400 60
                    @ IN NS ns1.%1$s.
                    ns1 IN A 127.0.0.1
                    """.formatted(zone), StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("named.conf"), """
                    options {
                        directory "%1$s";
                        pid-file "%1$s/named.pid";
                        session-keyfile "%1$s/session.key";
                        managed-keys-directory "%1$s";
                        listen-on port %2$d { 127.0.0.1; };
                        listen-on-v6 { none; };
                        recursion no;
                        dnssec-validation no;
                        notify no;
                        allow-query { any; };
                    };
                    controls { };
                    key "%3$s" { algorithm %4$s; secret "%5$s"; };
                    zone "%6$s" {
                        type primary;
                        file "%1$s/%6$s.zone";
                        update-policy { grant %3$s zonesub ANY; };
                    };
                    """.formatted(dir, port, KEY_NAME, ALGORITHM, secret, zone), StandardCharsets.US_ASCII);
            Process process = new ProcessBuilder(NAMED.toString(), "-g", "-4", "-n", "1", "-c",
                    dir.resolve("named.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("named.log").toFile())
                    .start();
            BindServer server = new BindServer(dir, port, zone, secret, process);
            server.awaitAnswering();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public String zone() {
        return zone;
    }

    /** The TSIG key's secret, base64. */
    public String secret() {
        return secret;
    }

    /** What {@code named} logged. */
    public String log() {
        try {
            return Files.readString(dir.resolve("named.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public ProcessHandle process() {
        return process.toHandle();
    }

    private void awaitAnswering() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                SimpleResolver resolver = new SimpleResolver(address());
                resolver.setTimeout(Duration.ofMillis(500));
                Message answer = resolver.send(Message.newQuery(
                        Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN)));
                if (answer.getRcode() == Rcode.NOERROR && !answer.getSection(1).isEmpty()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            pause();
        }
        close();
        throw new IllegalStateException("named did not answer on 127.0.0.1:" + port + " (" + last + "); log:\n" + log());
    }

    /** Stops {@code named} and waits until its process is gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return udp.getLocalPort();
            } catch (IOException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
