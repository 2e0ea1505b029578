package dev.outlast.drill.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code cdn-outage} drill end to end: with steering users see errors for at most detection plus
 * the TTL while the first CDN serves Cloudflare 522 pages (without, for the whole outage); the record
 * moves to the second CDN and back; with the origin down behind both it stays, and users see no more
 * errors than without steering.
 */
class CdnOutageIT {

    @Test
    void steeringCutsTheOutageToDetectionPlusTtlAndStaysWhenTheOriginIsDown() {
        List<String> progress = new ArrayList<>();
        CdnOutageResult result;
        try (CdnOutage drill = CdnOutage.start("127.0.0.1", 0)) {
            result = drill.play(progress::add);
        }
        String report = CdnOutageReport.table(result) + CdnOutageReport.moves(result) + CdnOutageReport.verdict(result);

        assertThat(result.passed()).as(report).isTrue();
        CdnOutageResult.PhaseOutcome outage = result.phases().get(1);
        assertThat(outage.steered().errorSeconds()).as(report).isBetween(1, CdnOutageResult.MAX_ERROR_SECONDS);
        assertThat(outage.fixed().errorSeconds()).as(report).isGreaterThanOrEqualTo(29);
        assertThat(result.moves()).as(report).extracting(m -> m.from() + " -> " + m.to() + " in " + m.phase())
                .containsExactly("cloudflare -> cloudfront in cloudflare-5xx",
                        "cloudfront -> cloudflare in cloudflare-recovered");
        assertThat(result.moves().get(0).reason()).contains("cloudflare failing by its path's fault",
                "HTTP 522, Cloudflare (edge) at FRA");
        assertThat(result.moves().get(1).reason()).startsWith("cloudflare passing for ");
        CdnOutageResult.PhaseOutcome originDown = result.phases().get(3);
        assertThat(originDown.steered().errorSeconds()).as(report).isGreaterThanOrEqualTo(14)
                .isLessThanOrEqualTo(originDown.fixed().errorSeconds());
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("[cdn-outage/cloudflare-5xx ")
                .contains("record: cloudfront"));
    }
}
