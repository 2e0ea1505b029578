package dev.outlast.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The {@code Retry-After} header of a 429. */
class UpstreamRetryAfterTest {

    private static final Duration DEFAULT = Duration.ofSeconds(1);

    @Test
    void readsSeconds() {
        assertThat(Upstream.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(Upstream.retryAfter(" 12 ")).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void readsAnHttpDateInTheFuture() {
        String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));

        assertThat(Upstream.retryAfter(in30s)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(30));
    }

    @Test
    void anHttpDateInThePastFallsBackToTheDefault() {
        assertThat(Upstream.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(DEFAULT);
    }

    @Test
    void garbageOrAbsenceFallsBackToTheDefault() {
        assertThat(Upstream.retryAfter("soon")).isEqualTo(DEFAULT);
        assertThat(Upstream.retryAfter("1.5")).isEqualTo(DEFAULT);
        assertThat(Upstream.retryAfter("")).isEqualTo(DEFAULT);
        assertThat(Upstream.retryAfter(null)).isEqualTo(DEFAULT);
    }

    @Test
    void zeroOrNegativeFallsBackToTheDefault() {
        assertThat(Upstream.retryAfter("0")).isEqualTo(DEFAULT);
        assertThat(Upstream.retryAfter("-5")).isEqualTo(DEFAULT);
    }

    @Test
    void hugeValuesAreCappedAtSixtySeconds() {
        assertThat(Upstream.retryAfter("86400")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void valueTooBigForALongIsCappedNotDefaulted() {
        assertThat(Upstream.retryAfter("99999999999999999999")).isEqualTo(Duration.ofSeconds(60));
    }
}
