package dev.outlast.frontdoor.dns;

import static dev.outlast.frontdoor.dns.Failures.cause;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.config.DnsConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The Route 53 adapter, through the AWS SDK, against a local server that holds it to the documented API. */
class Route53ProviderTest {

    private static final String WWW = "www.example.com";
    private static final Duration TTL = Duration.ofSeconds(30);

    private static FakeRoute53 api;
    private static ExecutorService executor;
    private final Route53Provider provider = provider(FakeRoute53.ZONE_ID, FakeRoute53.SECRET_KEY);

    @BeforeAll
    static void start() {
        api = new FakeRoute53();
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void checkAndReset() {
        assertThat(api.violations()).as("requests that stray from the documented API").isEmpty();
        provider.close();
        api.reset();
    }

    @AfterAll
    static void stop() {
        api.close();
        executor.shutdownNow();
    }

    private static Route53Provider provider(String zoneId, String secret) {
        return new Route53Provider(new DnsConfig.Route53(zoneId, "example.com", api.endpoint(), false), executor,
                Duration.ofSeconds(5),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeRoute53.ACCESS_KEY, secret)));
    }

    @Test
    void upsertsACnameAndReadsItBack() throws Exception {
        RecordSet cname = new RecordSet(WWW, RecordSet.Type.CNAME, List.of("www-cf.cdn.example.net"), TTL);

        provider.write(cname).get();

        assertThat(api.sets()).containsExactly(
                new FakeRoute53.RRSet("www.example.com.", "CNAME", 30, List.of("www-cf.cdn.example.net"), null));
        assertThat(provider.read(WWW).get()).contains(cname);
        String rrset = "/2013-04-01/hostedzone/" + FakeRoute53.ZONE_ID + "/rrset";
        assertThat(api.requests()).containsExactly("GET " + rrset, "POST " + rrset + "/", "GET " + rrset);
    }

    @Test
    void addressesReplaceTheCnameInOneBatchAndOtherNamesStay() throws Exception {
        api.put(new FakeRoute53.RRSet("api.example.com.", "A", 300, List.of("192.0.2.99"), null));
        api.put(new FakeRoute53.RRSet("www.example.com.", "CNAME", 30, List.of("www-cf.cdn.example.net"), null));
        api.put(new FakeRoute53.RRSet("www.example.com.", "TXT", 300, List.of("\"v=spf1 -all\""), null));
        api.put(new FakeRoute53.RRSet("zzz.example.com.", "A", 300, List.of("192.0.2.98"), null));

        provider.write(new RecordSet(WWW, RecordSet.Type.A, List.of("192.0.2.11", "192.0.2.10"), TTL)).get();

        assertThat(api.sets()).extracting(s -> s.name() + " " + s.type() + " " + s.values()).containsExactlyInAnyOrder(
                "api.example.com. A [192.0.2.99]", "www.example.com. A [192.0.2.10, 192.0.2.11]",
                "www.example.com. TXT [\"v=spf1 -all\"]", "zzz.example.com. A [192.0.2.98]");
        assertThat(provider.read(WWW).get()).contains(
                new RecordSet(WWW, RecordSet.Type.A, List.of("192.0.2.10", "192.0.2.11"), TTL));
    }

    @Test
    void anAliasIsDeletedExactlyAsListedAndReadAsItsTarget() throws Exception {
        api.put(new FakeRoute53.RRSet("www.example.com.", "AAAA", 0, List.of(), "d111111abcdef8.cloudfront.net."));

        assertThat(provider.read(WWW).get()).contains(new RecordSet(WWW, RecordSet.Type.AAAA,
                List.of("d111111abcdef8.cloudfront.net"), Route53Provider.ALIAS_TTL));

        provider.write(new RecordSet(WWW, RecordSet.Type.CNAME, List.of("www-cf.cdn.example.net"), TTL)).get();
        assertThat(api.sets()).extracting(FakeRoute53.RRSet::type).containsExactly("CNAME");
    }

    @Test
    void writingWhatIsAlreadyThereSendsNoChange() throws Exception {
        api.put(new FakeRoute53.RRSet("www.example.com.", "A", 30, List.of("192.0.2.10", "192.0.2.11"), null));

        provider.write(new RecordSet(WWW, RecordSet.Type.A, List.of("192.0.2.11", "192.0.2.10"), TTL)).get();

        assertThat(api.requests()).extracting(r -> r.split(" ")[0]).containsExactly("GET");
    }

    @Test
    void accessDeniedIsReportedInAwsWords() {
        api.denyChanges = true;

        Throwable failure = cause(() -> provider.write(new RecordSet(WWW, RecordSet.Type.CNAME,
                List.of("www-cf.cdn.example.net"), TTL)).get());

        assertThat(failure).isInstanceOf(DnsProviderException.class).hasMessage("HTTP 403: User: "
                + "arn:aws:iam::123456789012:user/outlast is not authorized to perform: route53:ChangeResourceRecordSets "
                + "on resource: arn:aws:route53:::hostedzone/" + FakeRoute53.ZONE_ID + " (AccessDenied)");
        assertThat(((DnsProviderException) failure).provider())
                .isEqualTo("route53 hosted zone " + FakeRoute53.ZONE_ID + " (example.com) at 127.0.0.1");
        assertThat(api.sets()).isEmpty();
    }

    @Test
    void aWrongSecretIsRefusedAndAnUnknownZoneIsNamed() {
        try (Route53Provider elsewhere = provider("Z999", FakeRoute53.SECRET_KEY)) {
            assertThat(cause(() -> elsewhere.read(WWW).get()))
                    .hasMessage("HTTP 404: No hosted zone found with ID: Z999 (NoSuchHostedZone)");
        }
        try (Route53Provider impostor = provider(FakeRoute53.ZONE_ID, "not-the-secret")) {
            assertThat(cause(() -> impostor.read(WWW).get())).isInstanceOf(DnsProviderException.class)
                    .hasMessageStartingWith("HTTP 403: The request signature we calculated does not match")
                    .hasMessageEndingWith("(SignatureDoesNotMatch)")
                    .hasMessageNotContaining("not-the-secret");
        }
        api.violations().clear();
    }

    @Test
    void anInvalidChangeBatchCarriesRoute53sMessages() {
        api.put(new FakeRoute53.RRSet("www.example.com.", "A", 30, List.of("192.0.2.10"), null));
        api.put(new FakeRoute53.RRSet("www.example.com.", "MX", 300, List.of("10 mail.example.com."), null));

        Throwable failure = cause(() -> provider.write(new RecordSet(WWW, RecordSet.Type.CNAME,
                List.of("www-cf.cdn.example.net"), TTL)).get());

        assertThat(failure).isInstanceOf(DnsProviderException.class).hasMessage("HTTP 400: RRSet of type CNAME with "
                + "DNS name www.example.com. is not permitted as it conflicts with other records with the same DNS "
                + "name in zone example.com. (InvalidChangeBatch)");
        assertThat(api.sets()).extracting(FakeRoute53.RRSet::type).containsExactly("A", "MX");
    }
}
