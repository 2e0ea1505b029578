package dev.outlast.frontdoor;

import static dev.outlast.frontdoor.FrontDoorFixtures.CFR_ORIGIN_503;
import static dev.outlast.frontdoor.FrontDoorFixtures.CF_522;
import static dev.outlast.frontdoor.FrontDoorFixtures.CF_ORIGIN_503;
import static dev.outlast.frontdoor.FrontDoorFixtures.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outlast.config.FrontDoorConfig;
import dev.outlast.frontdoor.dns.RecordSet;
import dev.outlast.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A front door carrying out its decisions: the record found at start, every provider written and read
 * back on its own with retries, and what its incident is told.
 */
class FrontDoorTest {

    private static final String HOST = "www.example.com";
    private static final Duration TTL = Duration.ofSeconds(5);
    private static final RecordSet ON_CLOUDFLARE = new RecordSet(HOST, RecordSet.Type.CNAME,
            List.of(FrontDoorFixtures.CF_CNAME), TTL);
    private static final RecordSet ON_CLOUDFRONT = new RecordSet(HOST, RecordSet.Type.CNAME,
            List.of(FrontDoorFixtures.CFR_CNAME), TTL);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock();
    private final RecordingListener listener = new RecordingListener();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void adoptsTheRecordFoundAtStartWithoutWritingIt() {
        MemoryDnsProvider primary = new MemoryDnsProvider("a").serving(ON_CLOUDFRONT);
        MemoryDnsProvider secondary = new MemoryDnsProvider("b");
        FrontDoor door = started(FrontDoorConfig.Failback.MANUAL, primary, secondary);

        assertThat(door.status().active()).isEqualTo("cloudfront");
        assertThat(door.status().started()).isTrue();
        assertThat(primary.writes()).isEmpty();
        await().untilAsserted(() -> assertThat(secondary.writes()).containsExactly(ON_CLOUDFRONT));
        assertThat(door.status().providers()).extracting(ProviderStatus::state).containsExactly("in_sync", "in_sync");
    }

    @Test
    void writesThePreferredTargetWhenTheRecordMatchesNoTarget() {
        MemoryDnsProvider provider = new MemoryDnsProvider("a").serving(new RecordSet(HOST, RecordSet.Type.A,
                List.of("192.0.2.1"), TTL));
        FrontDoor door = started(FrontDoorConfig.Failback.AUTO, provider);

        await().untilAsserted(() -> assertThat(provider.writes()).containsExactly(ON_CLOUDFLARE));
        ProviderStatus status = door.status().providers().get(0);
        assertThat(status.read()).isEqualTo(ON_CLOUDFLARE);
        assertThat(status.readAt()).isEqualTo(clock.instant());
        assertThat(listener.events).isEmpty();
    }

    @Test
    void aMoveIsWrittenToEveryProviderReadBackAndToldToTheIncident() {
        MemoryDnsProvider a = new MemoryDnsProvider("a");
        MemoryDnsProvider b = new MemoryDnsProvider("b");
        FrontDoor door = started(FrontDoorConfig.Failback.AUTO, a, b);
        door.onProbe("cloudfront", OK);
        for (int i = 0; i < 3; i++) {
            door.onProbe("cloudflare", CF_522);
        }

        await().untilAsserted(() -> {
            assertThat(a.current(HOST)).contains(ON_CLOUDFRONT);
            assertThat(b.current(HOST)).contains(ON_CLOUDFRONT);
        });
        FrontDoorStatus status = door.status();
        assertThat(status.active()).isEqualTo("cloudfront");
        assertThat(status.lastDecision().cause()).isEqualTo("path_failed");
        assertThat(status.providers()).allSatisfy(p -> {
            assertThat(p.state()).isEqualTo("in_sync");
            assertThat(p.read()).isEqualTo(ON_CLOUDFRONT);
        });
        assertThat(listener.events).containsExactly("moved degraded: www.example.com moved from cloudflare to "
                + "cloudfront: cloudflare failing by its path's fault; moving to cloudfront: cloudflare: 3 failed "
                + "probes, last: HTTP 522, Cloudflare (edge) at FRA (40 ms); cloudfront: passing (HTTP 200 (12 ms))");
        assertThat(listener.probes).contains("frontdoor/www/cloudflare vendor_page", "frontdoor/www/cloudfront ok");
    }

    @Test
    void aRefusingProviderIsRetriedWithBackoffWithoutHoldingUpTheOthers() {
        MemoryDnsProvider refusing = new MemoryDnsProvider("ns1").refuseNext(2, "update refused: NOTAUTH");
        MemoryDnsProvider fine = new MemoryDnsProvider("ns2");
        FrontDoor door = started(FrontDoorConfig.Failback.AUTO, Duration.ofMillis(300), refusing, fine);

        assertThat(fine.writes()).containsExactly(ON_CLOUDFLARE);
        ProviderStatus failing = door.status().providers().get(0);
        assertThat(failing.state()).isEqualTo("failing");
        assertThat(failing.error()).isEqualTo("update refused: NOTAUTH");
        assertThat(failing.retryAt()).isEqualTo(clock.instant().plusMillis(300));
        assertThat(listener.events).containsExactly("dns degraded: memory ns1 failed for www.example.com: "
                + "update refused: NOTAUTH; retrying with backoff");
        await().untilAsserted(() -> assertThat(refusing.writes()).containsExactly(ON_CLOUDFLARE));
        await().untilAsserted(() -> assertThat(listener.types()).containsExactly("dns", "dns", "settled"));
        assertThat(listener.events.get(1))
                .isEqualTo("dns degraded: memory ns1 answers again for www.example.com after 2 failed attempts");
        assertThat(door.status().providers().get(0).error()).isNull();
    }

    @Test
    void aReadBackThatDiffersFromTheWriteIsAFailure() {
        MemoryDnsProvider stale = new MemoryDnsProvider("stale");
        stale.readAlways(ON_CLOUDFRONT);
        FrontDoor door = started(FrontDoorConfig.Failback.AUTO, stale);
        assertThat(door.status().active()).as("adopted from the read").isEqualTo("cloudfront");
        door.force("cloudflare", "alice");

        await().untilAsserted(() -> assertThat(door.status().providers().get(0).error()).isEqualTo(
                "read back CNAME d111111abcdef8.cloudfront.net (ttl 5s) after writing CNAME "
                + "www.example.com.cdn.cloudflare.net (ttl 5s)"));
        stale.readAlways(null);
        await().untilAsserted(() -> assertThat(door.status().providers().get(0).state()).isEqualTo("in_sync"));
    }

    @Test
    void theOriginFailingBehindEveryCdnIsSaidOnceAndNothingIsWritten() {
        MemoryDnsProvider provider = new MemoryDnsProvider("a");
        FrontDoor door = started(FrontDoorConfig.Failback.AUTO, provider);
        for (int i = 0; i < 5; i++) {
            door.onProbe("cloudflare", CF_ORIGIN_503);
            door.onProbe("cloudfront", CFR_ORIGIN_503);
        }

        assertThat(listener.events).hasSize(1);
        assertThat(listener.events.get(0)).startsWith("held down: www.example.com stays on cloudflare: origin failing "
                + "behind every CDN; steering would not help: ");
        assertThat(provider.writes()).containsExactly(ON_CLOUDFLARE);
        door.onProbe("cloudflare", OK);
        assertThat(listener.events).last().isEqualTo("settled: www.example.com on cloudflare (preferred), no DNS "
                + "provider failing");
    }

    @Test
    void failingBackSettlesTheIncidentAndPinningMovesAtOnce() {
        MemoryDnsProvider provider = new MemoryDnsProvider("a");
        FrontDoor door = started(FrontDoorConfig.Failback.AUTO, provider);
        door.onProbe("cloudfront", OK);
        for (int i = 0; i < 3; i++) {
            door.onProbe("cloudflare", CF_522);
        }
        clock.advance(Duration.ofSeconds(5));
        door.onProbe("cloudflare", OK);
        clock.advance(Duration.ofSeconds(60));
        door.tick();

        assertThat(listener.types()).containsExactly("moved", "moved", "settled");
        assertThat(door.status().active()).isEqualTo("cloudflare");
        Decision pinned = door.pin("cloudfront", "alice");
        assertThat(pinned.kind()).isEqualTo(Decision.Kind.MOVE);
        assertThat(door.status().pinned()).isEqualTo("cloudfront");
        await().untilAsserted(() -> assertThat(provider.current(HOST)).contains(ON_CLOUDFRONT));
        assertThat(door.unpin("alice")).isTrue();
        assertThat(door.status().active()).as("failback waits from the last change").isEqualTo("cloudfront");
        clock.advance(Duration.ofSeconds(60));
        door.tick();
        assertThat(door.status().active()).isEqualTo("cloudflare");
        assertThat(listener.types()).containsExactly("moved", "moved", "settled", "moved", "unpinned", "moved",
                "settled");
    }

    @Test
    void theJsonShowsTheActiveTargetEveryProbeAndEveryProvidersWriteAndReadBack() {
        MemoryDnsProvider refusing = new MemoryDnsProvider("ns1").refuseNext(100, "update refused: REFUSED");
        FrontDoor door = started(FrontDoorConfig.Failback.AUTO, Duration.ofSeconds(30), new MemoryDnsProvider("ns2"),
                refusing);
        door.onProbe("cloudfront", OK);
        for (int i = 0; i < 3; i++) {
            door.onProbe("cloudflare", CF_522);
        }
        String json = FrontDoorJson.list(List.of(door.status())).toString();

        assertThat(json).contains("\"name\":\"www\",\"hostname\":\"www.example.com\",\"ttlSeconds\":5,"
                + "\"failback\":\"auto\",\"preferred\":\"cloudflare\",\"active\":\"cloudfront\",\"pinned\":null,"
                + "\"lastChange\":\"" + clock.instant() + "\"");
        assertThat(json).contains("\"lastDecision\":{\"kind\":\"move\",\"cause\":\"path_failed\"");
        assertThat(json).contains("\"lastProbe\":{\"at\":\"" + clock.instant() + "\",\"verdict\":\"path\","
                + "\"failure\":\"vendor_page\",\"detail\":\"HTTP 522, Cloudflare (edge) at FRA\",\"vendor\":"
                + "\"cloudflare\",\"generatedBy\":\"vendor\",\"location\":\"FRA\",\"latencyMs\":40.0}");
        assertThat(json).contains("{\"provider\":\"memory ns2\",\"state\":\"in_sync\",\"wanted\":{\"type\":"
                + "\"CNAME\",\"values\":[\"d111111abcdef8.cloudfront.net\"],\"ttlSeconds\":5}");
        assertThat(json).contains("\"readBack\":{\"at\":\"" + clock.instant() + "\",\"records\":{\"type\":"
                + "\"CNAME\",\"values\":[\"d111111abcdef8.cloudfront.net\"],\"ttlSeconds\":5},\"matches\":true}");
        assertThat(json).contains("{\"provider\":\"memory ns1\",\"state\":\"failing\"");
        assertThat(json).contains("\"error\":{\"message\":\"update refused: REFUSED\"");
    }

    private FrontDoor started(FrontDoorConfig.Failback failback, MemoryDnsProvider... providers) {
        return started(failback, Duration.ofMillis(20), providers);
    }

    private FrontDoor started(FrontDoorConfig.Failback failback, Duration backoff, MemoryDnsProvider... providers) {
        FrontDoorConfig config = FrontDoorFixtures.config(failback, new FrontDoorConfig.Steering(3,
                Duration.ofSeconds(60), Duration.ofSeconds(0), Duration.ofSeconds(2), Duration.ofSeconds(2)));
        FrontDoor door = new FrontDoor(config, List.of(), Map.of(), List.of(providers), scheduler, clock, listener,
                backoff);
        door.readCurrent();
        await().until(() -> door.status().started());
        return door;
    }
}
