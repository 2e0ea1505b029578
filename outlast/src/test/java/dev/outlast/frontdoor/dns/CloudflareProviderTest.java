package dev.outlast.frontdoor.dns;

import static dev.outlast.frontdoor.dns.Failures.cause;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.DnsConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Cloudflare adapter against a local server that holds it to the documented DNS records API. */
class CloudflareProviderTest {

    private static final String WWW = "www.example.com";
    private static final Duration TTL = Duration.ofSeconds(30);

    private static FakeCloudflare api;
    private static ClientFactory factory;
    private final CloudflareProvider provider = provider(FakeCloudflare.TOKEN);

    @BeforeAll
    static void start() {
        api = new FakeCloudflare();
        factory = ClientFactory.builder().build();
    }

    @AfterEach
    void checkAndReset() {
        assertThat(api.violations()).as("requests that stray from the documented API").isEmpty();
        api.reset();
    }

    @AfterAll
    static void stop() {
        api.close();
        factory.close();
    }

    private static CloudflareProvider provider(String token) {
        return provider(token, api.endpoint());
    }

    private static CloudflareProvider provider(String token, URI endpoint) {
        return new CloudflareProvider(new DnsConfig.Cloudflare(FakeCloudflare.ZONE_ID, "example.com", token,
                endpoint, false), factory, Duration.ofSeconds(5));
    }

    @Test
    void writesACnameInOneBatchAndReadsItBack() throws Exception {
        RecordSet cname = new RecordSet(WWW, RecordSet.Type.CNAME, List.of("www-cf.cdn.example.net"), TTL);

        provider.write(cname).get();

        assertThat(api.contents()).containsExactly("CNAME www.example.com www-cf.cdn.example.net 30");
        assertThat(provider.read(WWW).get()).contains(cname);
        String records = "/client/v4/zones/" + FakeCloudflare.ZONE_ID + "/dns_records";
        assertThat(api.requests()).containsExactly("GET " + records, "POST " + records + "/batch",
                                                   "GET " + records);
    }

    @Test
    void addressesReplaceTheCnameAtOnceAndLeaveOtherRecordsAlone() throws Exception {
        api.add("CNAME", WWW, "www-cf.cdn.example.net", 30, false);
        api.add("TXT", WWW, "\"v=spf1 -all\"", 300, false);
        api.add("A", "api.example.com", "192.0.2.99", 300, false);

        provider.write(new RecordSet(WWW, RecordSet.Type.A, List.of("192.0.2.11", "192.0.2.10"), TTL)).get();

        assertThat(api.contents()).containsExactly("A api.example.com 192.0.2.99 300",
                "A www.example.com 192.0.2.10 30", "A www.example.com 192.0.2.11 30",
                "TXT www.example.com \"v=spf1 -all\" 300");
        assertThat(provider.read(WWW).get()).contains(
                new RecordSet(WWW, RecordSet.Type.A, List.of("192.0.2.10", "192.0.2.11"), TTL));
    }

    @Test
    void keepsWhatIsAlreadyRightAndPatchesTtlAndProxying() throws Exception {
        api.add("A", WWW, "192.0.2.10", 30, false);
        api.add("A", WWW, "192.0.2.11", 1, true);
        api.add("A", WWW, "192.0.2.12", 30, false);
        api.add("AAAA", WWW, "2001:db8::1", 30, false);

        provider.write(new RecordSet(WWW, RecordSet.Type.A, List.of("192.0.2.10", "192.0.2.11", "192.0.2.13"), TTL))
                .get();

        assertThat(api.contents()).containsExactly("A www.example.com 192.0.2.10 30",
                "A www.example.com 192.0.2.11 30", "A www.example.com 192.0.2.13 30");
        int before = api.requests().size();
        provider.write(new RecordSet(WWW, RecordSet.Type.A, List.of("192.0.2.13", "192.0.2.10", "192.0.2.11"), TTL))
                .get();
        assertThat(api.requests().subList(before, api.requests().size())).as("nothing to change: no batch")
                .containsExactly("GET /client/v4/zones/" + FakeCloudflare.ZONE_ID + "/dns_records");
    }

    @Test
    void readsTheAutomaticTtlAsThreeHundredSecondsAndIpv6InCanonicalForm() throws Exception {
        api.add("AAAA", WWW, "2001:0db8:0000:0000:0000:0000:0000:0001", 1, false);

        assertThat(provider.read(WWW).get())
                .contains(new RecordSet(WWW, RecordSet.Type.AAAA, List.of("2001:db8::1"), Duration.ofSeconds(300)));
        assertThat(provider.read("nothing.example.com").get()).isEmpty();
    }

    @Test
    void aRefusedTokenIsReportedInCloudflaresWordsWithoutTheToken() {
        String wrong = "wrong-token-abcdefghijkl";
        CloudflareProvider impostor = provider(wrong);

        Throwable failure = cause(() -> impostor.write(new RecordSet(WWW, RecordSet.Type.CNAME,
                List.of("attacker.example.net"), TTL)).get());

        assertThat(failure).isInstanceOf(DnsProviderException.class)
                .hasMessage("HTTP 403: Authentication error (10000)");
        assertThat(((DnsProviderException) failure).provider())
                .isEqualTo("cloudflare zone " + FakeCloudflare.ZONE_ID + " (example.com) at 127.0.0.1")
                .doesNotContain(wrong);
        assertThat(impostor.describe()).doesNotContain(wrong);
        assertThat(api.contents()).isEmpty();
    }

    @Test
    void aRefusedChangeIsReportedInCloudflaresWordsWithItsErrorChain() {
        api.minimumTtl = 60;

        Throwable failure = cause(() -> provider.write(new RecordSet(WWW, RecordSet.Type.CNAME,
                List.of("www-cf.cdn.example.net"), TTL)).get());

        assertThat(failure).isInstanceOf(DnsProviderException.class).hasMessage("HTTP 400: DNS Validation Error "
                + "(1004): TTL must be between 60 and 86400 seconds, or 1 for Automatic. (9021)");
        assertThat(api.contents()).isEmpty();
    }

    @Test
    void anUnreachableApiIsReported() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + "/client/v4");

        Throwable failure = cause(() -> provider(FakeCloudflare.TOKEN, closed).read(WWW).get());

        assertThat(failure).isInstanceOf(DnsProviderException.class)
                .hasMessageStartingWith("GET /zones/" + FakeCloudflare.ZONE_ID + "/dns_records failed: ");
    }
}
