package dev.outlast.frontdoor;

import static dev.outlast.frontdoor.EdgeRig.CFR_CNAME;
import static dev.outlast.frontdoor.EdgeRig.CF_CNAME;
import static dev.outlast.frontdoor.EdgeRig.HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outlast.config.FrontDoorConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A front door probing real HTTP edges in front of one origin, writing to an in-memory provider:
 * moves on Cloudflare's own error pages, fails back, and stays when the origin fails behind both.
 */
class FrontDoorEdgesTest {

    private final EdgeRig rig = new EdgeRig();
    private final MemoryDnsProvider dns = new MemoryDnsProvider("memory");

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void movesOffAnEdgeServingCloudflare522PagesAndBackOnceItRecovers() {
        try (FrontDoors doors = rig.start(rig.config(FrontDoorConfig.Failback.AUTO, List.of()), List.of(dns))) {
            await().untilAsserted(() -> assertThat(dns.current(HOST)).contains(EdgeRig.cname(CF_CNAME)));
            await().untilAsserted(() -> assertThat(rig.listener.probes).contains("frontdoor/www/cloudfront ok"));
            rig.cloudflare.failWith(522);

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(dns.current(HOST)).contains(EdgeRig.cname(CFR_CNAME)));
            assertThat(rig.listener.events.get(0)).startsWith("moved degraded: www.example.com moved from cloudflare "
                    + "to cloudfront: cloudflare failing by its path's fault; moving to cloudfront: cloudflare: 3 "
                    + "failed probes, last: HTTP 522, Cloudflare (edge) at FRA");
            rig.cloudflare.failWith(0);

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(dns.current(HOST)).contains(EdgeRig.cname(CF_CNAME)));
            await().untilAsserted(() -> assertThat(rig.listener.types()).containsExactly("moved", "moved", "settled"));
            assertThat(doors.statuses().get(0).providers().get(0).state()).isEqualTo("in_sync");
        }
    }

    @Test
    void staysWhenTheOriginFailsBehindBothEdges() {
        try (FrontDoors doors = rig.start(rig.config(FrontDoorConfig.Failback.AUTO, List.of()), List.of(dns))) {
            await().untilAsserted(() -> assertThat(dns.current(HOST)).contains(EdgeRig.cname(CF_CNAME)));
            rig.origin.status(503);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rig.listener.events).anySatisfy(
                    e -> assertThat(e).startsWith("held down: www.example.com stays on cloudflare: origin failing "
                            + "behind every CDN; steering would not help: cloudflare: ")));
            assertThat(dns.writes()).containsExactly(EdgeRig.cname(CF_CNAME));
            assertThat(doors.statuses().get(0).lastDecision().cause()).isEqualTo("origin_failing");
            assertThat(doors.statuses().get(0).targets()).extracting(t -> t.last().detail())
                    .containsExactly("HTTP 503, origin behind Cloudflare (via FRA)",
                            "HTTP 503, origin behind Amazon CloudFront (via FRA56-P1)");
        }
    }
}
