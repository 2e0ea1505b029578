package dev.outlast.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpHeaders;
import org.junit.jupiter.api.Test;

class AttributorTest {

    private static void assertAttribution(Attribution a, Vendor vendor, Source source, String location) {
        assertThat(a.vendor()).as("vendor, signature %s", a.signature()).isEqualTo(vendor);
        assertThat(a.source()).as("source, signature %s", a.signature()).isEqualTo(source);
        assertThat(a.location()).as("location").isEqualTo(location);
    }

    // --- Cloudflare ---

    @Test
    void cloudflare522PageIsGeneratedByCloudflareAtFra() {
        Attribution a = Recorded.load("cloudflare-522.http").attribute();
        assertAttribution(a, Vendor.CLOUDFLARE, Source.VENDOR, "FRA");
        assertThat(a.signature()).isEqualTo("cf-ray + 522 error page");
    }

    @Test
    void cloudflarePlain500PageFromTheNovemberIncidentIsGeneratedByCloudflareAtAms() {
        Attribution a = Recorded.load("cloudflare-500-plain.http").attribute();
        assertAttribution(a, Vendor.CLOUDFLARE, Source.VENDOR, "AMS");
        assertThat(a.signature()).isEqualTo("cf-ray + Cloudflare 500 error template");
    }

    @Test
    void origin500BehindCloudflareIsPassedThroughByCloudflare() {
        Attribution a = Recorded.load("cloudflare-origin-500.http").attribute();
        assertAttribution(a, Vendor.CLOUDFLARE, Source.ORIGIN, "FRA");
        assertThat(a.signature()).isEqualTo("cf-ray, origin 500 passed through");
    }

    @Test
    void cfErrorTypeHeaderMarksACloudflareGeneratedError() {
        Attribution a = Attributor.attribute(503,
                HttpHeaders.of("server", "cloudflare", "cf-ray", "9a0c1f4b5d6e7a8b-SIN", "cf-error-type", "5xx"), "");
        assertAttribution(a, Vendor.CLOUDFLARE, Source.VENDOR, "SIN");
        assertThat(a.signature()).isEqualTo("cf-error-type: 5xx");
    }

    @Test
    void headerNamesAreMatchedCaseInsensitively() {
        Attribution a = Attributor.attribute(521, HttpHeaders.of("CF-RAY", "9a0c1f4b5d6e7a8b-LHR", "Server", "Cloudflare"),
                "");
        assertAttribution(a, Vendor.CLOUDFLARE, Source.VENDOR, "LHR");
    }

    @Test
    void cfRayWithoutColoSuffixGivesNoLocation() {
        Attribution a = Attributor.attribute(502, HttpHeaders.of("cf-ray", "9a0c1f4b5d6e7a8b"), "");
        assertAttribution(a, Vendor.CLOUDFLARE, Source.ORIGIN, null);
    }

    // --- AWS ---

    @Test
    void cloudFront502PageIsGeneratedByCloudFrontAtItsPop() {
        Attribution a = Recorded.load("cloudfront-502.http").attribute();
        assertAttribution(a, Vendor.CLOUDFRONT, Source.VENDOR, "FRA56-P1");
        assertThat(a.signature()).contains("could not be satisfied");
    }

    @Test
    void origin503BehindCloudFrontIsPassedThroughEvenWithErrorFromCloudfront() {
        Attribution a = Recorded.load("cloudfront-origin-503.http").attribute();
        assertAttribution(a, Vendor.CLOUDFRONT, Source.ORIGIN, "IAD89-C1");
    }

    @Test
    void albBadGatewayPageIsGeneratedByTheLoadBalancer() {
        Attribution a = Recorded.load("alb-502.http").attribute();
        assertAttribution(a, Vendor.AWS_ELB, Source.VENDOR, null);
        assertThat(a.signature()).isEqualTo("server: awselb + 502 ELB page");
    }

    @Test
    void albTimeoutBehindCloudFrontIsBlamedOnTheLoadBalancerNotCloudFront() {
        Attribution a = Recorded.load("alb-504-behind-cloudfront.http").attribute();
        assertAttribution(a, Vendor.AWS_ELB, Source.VENDOR, null);
    }

    @Test
    void apiGatewayErrorTypeIsGeneratedByApiGatewayAtTheEdgePop() {
        Attribution a = Recorded.load("apigw-502.http").attribute();
        assertAttribution(a, Vendor.AWS_API_GATEWAY, Source.VENDOR, "FRA60-P3");
        assertThat(a.signature()).isEqualTo("x-amzn-errortype: InternalServerErrorException");
    }

    @Test
    void integration500BehindApiGatewayIsPassedThrough() {
        Attribution a = Recorded.load("apigw-origin-500.http").attribute();
        assertAttribution(a, Vendor.AWS_API_GATEWAY, Source.ORIGIN, null);
    }

    // --- Fastly ---

    @Test
    void fastlyGuruMeditationIsGeneratedByFastlyAtTheDeliveryNodeNotTheShield() {
        Attribution a = Recorded.load("fastly-503.http").attribute();
        assertAttribution(a, Vendor.FASTLY, Source.VENDOR, "FRA");
        assertThat(a.signature()).isEqualTo("Fastly Guru Meditation page");
    }

    @Test
    void origin500BehindFastlyIsPassedThroughAtAms() {
        Attribution a = Recorded.load("fastly-origin-500.http").attribute();
        assertAttribution(a, Vendor.FASTLY, Source.ORIGIN, "AMS");
    }

    @Test
    void viaVarnishAloneIsNotFastly() {
        assertThat(Attributor.attribute(503, HttpHeaders.of("via", "1.1 varnish (Varnish/7.4)"), "").vendor())
                .isEqualTo(Vendor.UNKNOWN);
        assertThat(Attributor.attribute(503,
                HttpHeaders.of("via", "1.1 varnish", "x-timer", "S1623146292.457019,VS0,VE30"), "").vendor())
                .isEqualTo(Vendor.FASTLY);
    }

    // --- Akamai, Google ---

    @Test
    void akamaiReferencePageIsGeneratedByAkamai() {
        Attribution a = Recorded.load("akamai-503.http").attribute();
        assertAttribution(a, Vendor.AKAMAI, Source.VENDOR, null);
        assertThat(a.signature()).isEqualTo("AkamaiGHost + Reference # page");
    }

    @Test
    void akamaiServerHeaderWithoutReferenceLeavesTheSourceOpen() {
        Attribution a = Attributor.attribute(500, HttpHeaders.of("server", "AkamaiGHost"), "Internal Server Error");
        assertAttribution(a, Vendor.AKAMAI, Source.UNKNOWN, null);
        assertThat(a.signature()).isEqualTo("server: AkamaiGHost");
    }

    @Test
    void googleLoadBalancer502PageIsGeneratedByTheGoogleFrontEnd() {
        Attribution a = Recorded.load("google-502.http").attribute();
        assertAttribution(a, Vendor.GOOGLE_FRONT_END, Source.VENDOR, null);
    }

    @Test
    void googleFrontendThatsAnErrorPageIsGeneratedByGoogle() {
        Attribution a = Recorded.load("google-frontend-500.http").attribute();
        assertAttribution(a, Vendor.GOOGLE_FRONT_END, Source.VENDOR, null);
    }

    @Test
    void appErrorBehindGoogleFrontendLeavesTheSourceOpen() {
        Attribution a = Attributor.attribute(500, HttpHeaders.of("server", "Google Frontend"), "{\"error\":\"boom\"}");
        assertAttribution(a, Vendor.GOOGLE_FRONT_END, Source.UNKNOWN, null);
    }

    // --- Vercel, Azure, Netlify ---

    @Test
    void vercelErrorHeaderIsGeneratedByVercelWithTheErrorCodeAtFra1() {
        Attribution a = Recorded.load("vercel-500.http").attribute();
        assertAttribution(a, Vendor.VERCEL, Source.VENDOR, "fra1");
        assertThat(a.signature()).isEqualTo("x-vercel-error: FUNCTION_INVOCATION_FAILED");
    }

    @Test
    void functionErrorOnVercelIsPassedThroughAtCdg1() {
        Attribution a = Recorded.load("vercel-origin-502.http").attribute();
        assertAttribution(a, Vendor.VERCEL, Source.ORIGIN, "cdg1");
    }

    @Test
    void vercelErrorBehindCloudflareIsBlamedOnVercel() {
        Recorded vercel = Recorded.load("vercel-500.http");
        HttpHeaders stacked = vercel.headers().toBuilder()
                .set("server", "cloudflare").add("cf-ray", "9a0c1f4b5d6e7a8b-FRA").build();
        Attribution a = Attributor.attribute(502, stacked, vercel.body());
        assertAttribution(a, Vendor.VERCEL, Source.VENDOR, "fra1");
    }

    @Test
    void azureFrontDoorUnavailablePageIsGeneratedByFrontDoor() {
        Attribution a = Recorded.load("azure-frontdoor-503.http").attribute();
        assertAttribution(a, Vendor.AZURE_FRONT_DOOR, Source.VENDOR, null);
    }

    @Test
    void origin500BehindAzureFrontDoorLeavesTheSourceOpen() {
        Attribution a = Recorded.load("azure-frontdoor-origin-500.http").attribute();
        assertAttribution(a, Vendor.AZURE_FRONT_DOOR, Source.UNKNOWN, null);
    }

    @Test
    void netlifyRequestIdIdentifiesNetlify() {
        Attribution a = Recorded.load("netlify-502.http").attribute();
        assertAttribution(a, Vendor.NETLIFY, Source.UNKNOWN, null);
    }

    // --- nothing known ---

    @Test
    void plainNginx502IsUnknown() {
        Attribution a = Recorded.load("nginx-502.http").attribute();
        assertThat(a).isEqualTo(Attribution.UNKNOWN);
        assertThat(a.known()).isFalse();
    }

    @Test
    void missingHeadersAndBodyGiveUnknownWithoutThrowing() {
        assertThat(Attributor.attribute(502, HttpHeaders.of(), "")).isEqualTo(Attribution.UNKNOWN);
        assertThat(Attributor.attribute(502, null, null)).isEqualTo(Attribution.UNKNOWN);
        assertThat(Attributor.attribute(0, HttpHeaders.of("cf-ray", ""), "")).isEqualTo(Attribution.UNKNOWN);
    }

    @Test
    void bodyBeyondTheFirst4KibIsNotRead() {
        String late = "x".repeat(Attributor.BODY_PREFIX_CHARS) + "<center>cloudflare</center>";
        assertThat(Attributor.attribute(500, HttpHeaders.of("server", "cloudflare"), late).source())
                .isEqualTo(Source.ORIGIN);
    }

    @Test
    void longHeaderValuesAreCutInTheSignature() {
        Attribution a = Attributor.attribute(500, HttpHeaders.of("x-vercel-error", "E".repeat(500)), "");
        assertThat(a.signature()).hasSizeLessThan(100).endsWith("...");
    }
}
