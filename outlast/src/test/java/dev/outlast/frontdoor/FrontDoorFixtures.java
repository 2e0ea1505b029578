package dev.outlast.frontdoor;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.config.FrontDoorConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Front door configurations and probe results for tests: {@code www.example.com} over {@code cloudflare} (preferred) and {@code cloudfront}. */
final class FrontDoorFixtures {

    static final String CF_CNAME = "www.example.com.cdn.cloudflare.net";
    static final String CFR_CNAME = "d111111abcdef8.cloudfront.net";
    static final ProbeResult OK = ProbeResult.pass(200, 12);
    static final ProbeResult CF_522 = new ProbeResult(PathVerdict.PATH, "vendor_page",
            "HTTP 522, Cloudflare (edge) at FRA", Vendor.CLOUDFLARE, Source.VENDOR, "FRA", 40);
    static final ProbeResult CF_ORIGIN_503 = new ProbeResult(PathVerdict.ORIGIN, "vendor_page",
            "HTTP 503, origin behind Cloudflare (via FRA)", Vendor.CLOUDFLARE, Source.ORIGIN, "FRA", 30);
    static final ProbeResult CFR_ORIGIN_503 = new ProbeResult(PathVerdict.ORIGIN, "vendor_page",
            "HTTP 503, origin behind Amazon CloudFront", Vendor.CLOUDFRONT, Source.ORIGIN, null, 30);

    private FrontDoorFixtures() {
    }

    static FrontDoorConfig config(FrontDoorConfig.Failback failback, FrontDoorConfig.Steering steering) {
        return new FrontDoorConfig("www", "www.example.com", Duration.ofSeconds(5), failback, List.of(
                FrontDoorConfig.Target.cname("cloudflare", "cloudflare", CF_CNAME, probe()),
                FrontDoorConfig.Target.cname("cloudfront", "cloudfront", CFR_CNAME, probe())),
                List.of(), new FrontDoorConfig.Serve("127.0.0.1", 0), steering);
    }

    private static FrontDoorConfig.Probe probe() {
        return new FrontDoorConfig.Probe(URI.create("https://www.example.com/health"), null, 0, null, null);
    }
}
