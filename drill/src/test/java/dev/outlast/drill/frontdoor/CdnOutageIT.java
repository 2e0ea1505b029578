package dev.outlast.drill.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outlast.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outlast drill run cdn-outage} end to end: with steering users see errors for at most detection
 * plus the TTL while the first CDN serves Cloudflare 522 pages (without, for the whole outage); the
 * record moves to the second CDN and back; with the origin down behind both it stays, and users see no
 * more errors than without steering.
 */
class CdnOutageIT {

    @Test
    void steeringCutsTheOutageToDetectionPlusTtlAndStaysWhenTheOriginIsDown(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), Map.of(), "drill", "run", "cdn-outage",
                "--report", dir.toString());

        String output = out.toString();
        assertThat(exit).as(output + err).isZero();
        assertThat(output).contains("Drill cdn-outage: ").containsPattern("cloudflare-5xx +30s +\\d+ s with errors")
                .containsPattern("\\+[\\d.]+s \\(cloudflare-5xx\\) cloudflare -> cloudfront: cloudflare failing by its "
                                 + "path's fault; moving to cloudfront: cloudflare: 3 failed probes, last: HTTP 522, "
                                 + "Cloudflare \\(edge\\) at FRA")
                .containsPattern("\\(cloudflare-recovered\\) cloudfront -> cloudflare: cloudflare passing for ")
                .contains("PASS: in cloudflare-5xx (30 s) users saw errors for ");
        assertThat(err.toString()).contains("[cdn-outage/cloudflare-5xx ");
        JsonNode report = new ObjectMapper().readTree(Files.readString(dir.resolve("report.json")));
        assertThat(report.path("passed").asBoolean()).as(output).isTrue();
        JsonNode outage = report.path("phases").get(1);
        assertThat(outage.path("name").asText()).isEqualTo("cloudflare-5xx");
        assertThat(outage.path("withSteering").path("errorSeconds").asInt()).as(output)
                .isBetween(1, CdnOutageResult.MAX_ERROR_SECONDS);
        assertThat(outage.path("withoutSteering").path("errorSeconds").asInt()).as(output).isGreaterThanOrEqualTo(29);
        JsonNode originDown = report.path("phases").get(3);
        assertThat(originDown.path("withSteering").path("errorSeconds").asInt()).as(output).isGreaterThanOrEqualTo(14)
                .isLessThanOrEqualTo(originDown.path("withoutSteering").path("errorSeconds").asInt());
        assertThat(report.path("moves")).hasSize(2);
    }
}
