package dev.outlast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional {@code vendor:} key of chain upstreams and site origins (and of maintenance windows). */
class VendorKeyTest {

    private static final String KNOWN = "a vendor attribution knows: cloudflare, cloudfront, aws-elb, "
            + "aws-api-gateway, fastly, akamai, google-front-end, vercel, azure-front-door, netlify";

    /** A chain and a site whose first upstream and first origin have the given {@code vendor:} values. */
    private static String config(String upstreamVendor, String originVendor) {
        return """
                chains:
                  - id: devnet
                    chainId: 1337
                    upstreams:
                      - name: alpha
                        url: http://127.0.0.1:8545
                        vendor: %s
                      - name: beta
                        url: http://127.0.0.1:8546
                sites:
                  - id: app
                    host: app.example.com
                    origins:
                      - name: edge-a
                        url: https://a.example.com
                        vendor: %s
                      - name: edge-b
                        url: https://b.example.com
                """.formatted(upstreamVendor, originVendor);
    }

    @Test
    void bindsTheVendorOfUpstreamsAndOriginsInItsCanonicalForm() {
        OutlastConfig config = ConfigLoader.parse(config("Cloudflare", "fastly"), Map.of(), "c.yaml");
        assertThat(config.chains().get(0).upstreams()).extracting(UpstreamConfig::vendor)
                .containsExactly("cloudflare", null);
        assertThat(config.sites().get(0).origins()).extracting(OriginConfig::vendor).containsExactly("fastly", null);
    }

    @Test
    void refusesAVendorAttributionDoesNotKnowWithItsYamlPath() {
        assertThat(problems(config("cludflare", "[cloudflare]") + """
                maintenance:
                  - name: cf
                    vendor: cloudflair
                    start: 2026-12-01T02:00
                    end: 2026-12-01T04:00
                """)).contains(
                "chains[0].upstreams[0].vendor: \"cludflare\" (expected: " + KNOWN + ")",
                "maintenance[0].vendor: \"cloudflair\" (expected: " + KNOWN + ")")
                .anySatisfy(p -> assertThat(p).startsWith("sites[0].origins[0].vendor: ").endsWith("(expected: " + KNOWN + ")"));
    }

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of(), "c.yaml"));
        assertThat(e).as("expected problems in:%n%s", yaml).isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }
}
