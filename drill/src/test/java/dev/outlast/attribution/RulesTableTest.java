package dev.outlast.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import dev.outlast.drill.internal.CloudflarePages;
import dev.outlast.drill.internal.WireRequest;
import dev.outlast.drill.internal.WireResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RulesTableTest {

    @Test
    void everyRuleNamesAnHttpsSourceAndEveryKnownVendorHasARule() {
        assertThat(Rules.ALL).allSatisfy(rule -> assertThat(rule.reference()).startsWith("https://"));
        assertThat(Arrays.stream(Vendor.values()).filter(v -> v != Vendor.UNKNOWN))
                .allSatisfy(v -> assertThat(Rules.ALL).anyMatch(rule -> rule.vendor() == v));
    }

    @Test
    void docsTableListsEveryVendorAndSourceOfTheCodeTable() throws IOException {
        String page = Files.readString(Path.of("..", "docs", "attribution.md"), StandardCharsets.UTF_8);
        String section = page.substring(page.indexOf("## The rules"));
        assertThat(Rules.ALL).allSatisfy(rule -> {
            assertThat(section).contains(rule.vendor().displayName());
            assertThat(section).contains(rule.reference());
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 520, 521, 522, 523, 524, 525, 526, 530})
    void drillCloudflarePagesAreAttributedToCloudflareItself(int status) {
        WireResponse page = CloudflarePages.page(status, "rpc.example.com", new SplittableRandom(status));
        HttpHeadersBuilder headers = HttpHeaders.builder();
        for (WireRequest.Header h : page.headers()) {
            headers.add(h.name(), h.value());
        }
        Attribution a = Attributor.attribute(status, headers.build(), new String(page.body(), StandardCharsets.UTF_8));
        assertThat(a.vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(a.source()).isEqualTo(Source.VENDOR);
        assertThat(a.location()).isEqualTo("FRA");
    }
}
