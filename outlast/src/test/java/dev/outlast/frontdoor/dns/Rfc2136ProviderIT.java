package dev.outlast.frontdoor.dns;

import static dev.outlast.frontdoor.dns.Failures.cause;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.config.DnsConfig;
import dev.outlast.testing.BindServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** RFC 2136 updates and read-backs against a real BIND 9 {@code named} with a TSIG-protected zone. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Rfc2136ProviderIT {

    private static final String ZONE = "example.test";
    private static final Duration TTL = Duration.ofSeconds(30);

    private static BindServer named;
    private static ExecutorService executor;
    private static Rfc2136Provider provider;

    @BeforeAll
    static void start() {
        named = BindServer.start(ZONE);
        executor = Executors.newFixedThreadPool(2);
        provider = provider(new DnsConfig.Tsig(BindServer.KEY_NAME, BindServer.ALGORITHM, named.secret()));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        ProcessHandle process = named.process();
        named.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(process.isAlive()).as("named is stopped").isFalse();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.pid() == process.pid()).findAny()).isEmpty();
    }

    private static Rfc2136Provider provider(DnsConfig.Tsig tsig) {
        return new Rfc2136Provider(new DnsConfig.Rfc2136(named.address(), ZONE, tsig, false), executor,
                                   Clock.systemUTC(), Duration.ofSeconds(3));
    }

    @Test
    @Order(1)
    void aNameWithNoRecordReadsEmpty() throws Exception {
        assertThat(provider.read("www." + ZONE).get()).isEmpty();
    }

    @Test
    @Order(2)
    void writesACnameAndReadsItBack() throws Exception {
        RecordSet cname = new RecordSet("www." + ZONE, RecordSet.Type.CNAME, List.of("www-cf.cdn.example.net"), TTL);

        provider.write(cname).get();

        assertThat(provider.read("www." + ZONE).get()).contains(cname);
    }

    @Test
    @Order(3)
    void twoAddressesReplaceTheCname() throws Exception {
        RecordSet addresses = new RecordSet("www." + ZONE, RecordSet.Type.A, List.of("192.0.2.10", "192.0.2.11"),
                                            Duration.ofSeconds(60));

        provider.write(addresses).get();

        Optional<RecordSet> read = provider.read("www." + ZONE).get();
        assertThat(read).hasValueSatisfying(r -> {
            assertThat(r.type()).isEqualTo(RecordSet.Type.A);
            assertThat(r.values()).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11");
            assertThat(r.ttl()).isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    @Order(4)
    void ipv6AddressesReadBackInCanonicalForm() throws Exception {
        provider.write(new RecordSet("v6." + ZONE, RecordSet.Type.AAAA, List.of("2001:DB8:0:0::1"), TTL)).get();

        assertThat(provider.read("v6." + ZONE).get())
                .contains(new RecordSet("v6." + ZONE, RecordSet.Type.AAAA, List.of("2001:db8::1"), TTL));
    }

    @Test
    @Order(5)
    void aWrongSecretIsRefusedInTheServersWordsAndChangesNothing() throws Exception {
        Optional<RecordSet> before = provider.read("www." + ZONE).get();
        assertThat(before).isPresent();
        byte[] wrong = new byte[32];
        Rfc2136Provider impostor = provider(new DnsConfig.Tsig(BindServer.KEY_NAME, BindServer.ALGORITHM,
                                                               Base64.getEncoder().encodeToString(wrong)));

        Throwable failure = cause(() -> impostor.write(new RecordSet("www." + ZONE, RecordSet.Type.CNAME,
                List.of("attacker.example.net"), TTL)).get());

        assertThat(failure).isInstanceOf(DnsProviderException.class)
                .hasMessage("update refused: NOTAUTH (BADSIG)")
                .hasMessageNotContaining(named.secret());
        assertThat(((DnsProviderException) failure).provider())
                .isEqualTo("rfc2136 127.0.0.1:" + named.address().getPort() + " (zone example.test, key outlast)");
        assertThat(provider.read("www." + ZONE).get()).isEqualTo(before);
        assertThat(cause(() -> impostor.read("www." + ZONE).get())).hasMessage("query refused: NOTAUTH (BADSIG)");
    }

    @Test
    @Order(6)
    void anUnsignedUpdateIsRefused() {
        Throwable failure = cause(() -> provider(null).write(new RecordSet("www." + ZONE, RecordSet.Type.CNAME,
                List.of("attacker.example.net"), TTL)).get());

        assertThat(failure).isInstanceOf(DnsProviderException.class).hasMessage("update refused: REFUSED");
    }

    @Test
    @Order(7)
    void aNameOutsideTheZoneIsRefusedWithNotzone() {
        Throwable failure = cause(() -> provider.write(new RecordSet("www.example.org", RecordSet.Type.CNAME,
                List.of("www-cf.cdn.example.net"), TTL)).get());

        assertThat(failure).isInstanceOf(DnsProviderException.class).hasMessage("update refused: NOTZONE");
    }

    @Test
    @Order(8)
    void aServerThatIsNotThereIsReported() throws Exception {
        int port;
        try (DatagramSocket closed = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Throwable failure = cause(() -> provider("127.0.0.1", port, Duration.ofSeconds(2)).read("www." + ZONE).get());

        assertThat(failure).isInstanceOf(DnsProviderException.class)
                .hasMessage("query failed: nothing answers on 127.0.0.1:" + port + " (PortUnreachableException)");
    }

    @Test
    @Order(9)
    void aServerThatDoesNotAnswerTimesOut() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = silent.getLocalPort();

            Throwable failure = cause(() -> provider("127.0.0.1", port, Duration.ofMillis(300)).read("www." + ZONE)
                    .get());

            assertThat(failure).isInstanceOf(DnsProviderException.class)
                    .hasMessage("query timed out after 300 ms (no answer from 127.0.0.1:" + port + ")");
        }
    }

    private static Rfc2136Provider provider(String host, int port, Duration timeout) {
        return new Rfc2136Provider(new DnsConfig.Rfc2136(new InetSocketAddress(host, port), ZONE, null, false),
                                   executor, Clock.systemUTC(), timeout);
    }
}
