package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.outlast.attribution.Attribution;
import dev.outlast.attribution.Recorded;
import dev.outlast.transport.FailureKind;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Which recorded vendor pages prove that the origin never received the request. */
class FailoverRulesTest {

    @ParameterizedTest(name = "cloudflare {0}: not received = {1}")
    @CsvSource({"521, true", "522, true", "523, true", "525, true", "526, true", "530, true",
                "520, false", "524, false", "527, false"})
    void cloudflareEdgeStatuses(int status, boolean notReceived) {
        Recorded page = Recorded.load("cloudflare-522.http");
        String body = page.body().replace("522", Integer.toString(status));
        Attribution a = dev.outlast.attribution.Attributor.attribute(status, page.headers(), body);
        assertThat(FailoverRules.provesNotReceived(status, a, body)).isEqualTo(notReceived);
    }

    @ParameterizedTest(name = "{0}: not received = {1}")
    @CsvSource({"cloudfront-502.http, true", "alb-502.http, false", "alb-504-behind-cloudfront.http, false",
                "cloudflare-origin-500.http, false", "cloudflare-500-plain.http, false", "nginx-502.http, false",
                "fastly-503.http, false", "vercel-500.http, false", "akamai-503.http, false"})
    void recordedPages(String fixture, boolean notReceived) {
        Recorded page = Recorded.load(fixture);
        assertThat(FailoverRules.provesNotReceived(page.status(), page.attribute(), page.body()))
                .isEqualTo(notReceived);
    }

    @Test
    void writesMoveOnOnlyWhenTheOriginProvablyNeverGotThem() {
        RequestHeaders post = RequestHeaders.of(HttpMethod.POST, "/orders");
        RequestHeaders keyed = RequestHeaders.of(HttpMethod.POST, "/orders", "idempotency-key", "k");
        RequestHeaders delete = RequestHeaders.of(HttpMethod.DELETE, "/orders/1");
        OriginFailure timeout = new OriginFailure(Instant.EPOCH, FailureKind.TIMEOUT, 0, Attribution.UNKNOWN, false,
                                                  "t");
        OriginFailure refused = new OriginFailure(Instant.EPOCH, FailureKind.CONNECT, 0, Attribution.UNKNOWN, true,
                                                  "c");

        assertThat(FailoverRules.repeatable(RequestHeaders.of(HttpMethod.GET, "/"))).isTrue();
        assertThat(FailoverRules.repeatable(RequestHeaders.of(HttpMethod.HEAD, "/"))).isTrue();
        assertThat(FailoverRules.repeatable(RequestHeaders.of(HttpMethod.OPTIONS, "/"))).isTrue();
        assertThat(FailoverRules.repeatable(post)).isFalse();
        assertThat(FailoverRules.repeatable(delete)).isFalse();
        assertThat(FailoverRules.repeatable(keyed)).isTrue();
        assertThat(FailoverRules.mayRetry(false, timeout)).isFalse();
        assertThat(FailoverRules.mayRetry(false, refused)).isTrue();
        assertThat(FailoverRules.mayRetry(true, timeout)).isTrue();
    }
}
