package dev.outlast.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.monitor.Monitor;
import dev.outlast.monitor.Observation;
import dev.outlast.monitor.Subject;
import dev.outlast.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Incidents carry who generated the failures (edge or origin) and the configured vendor, say when
 * attribution disagrees with it, and resolve on the success streak rather than the burn window.
 */
class IncidentAttributionTest {

    private final MutableClock clock = new MutableClock();
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();
    private final IncidentBook book = new IncidentBook(MonitoringConfig.DEFAULT, clock, IncidentBook.Muting.NONE,
            alerts::add, i -> { });
    private final Monitor monitor = new Monitor(MonitoringConfig.DEFAULT, clock, book);

    private void observe(Subject s, Observation o, int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(Duration.ofSeconds(1));
            monitor.observe(s, o);
        }
    }

    private static Observation page(Vendor vendor, Source source, String location) {
        return Observation.failure("vendor_page", vendor.label() + " 500", vendor, source, location, 5);
    }

    @Test
    void anOriginErrorPassedThroughCloudflareIsSaidToComeFromTheOriginBehindIt() {
        Subject alpha = Subject.chainUpstream("devnet", "alpha");
        observe(alpha, page(Vendor.CLOUDFLARE, Source.ORIGIN, "FRA"), 3);
        IncidentView open = book.open().get(0);
        assertThat(open.generatedBy()).isEqualTo(Source.ORIGIN);
        assertThat(open.generatedByLabel()).isEqualTo("origin");
        assertThat(open.whereWords()).isEqualTo("origin behind Cloudflare (via FRA)");
        assertThat(open.timeline().get(1).message()).isEqualTo("attributed to the origin behind Cloudflare (via FRA)");
        assertThat(IncidentJson.of(open, clock.instant()).path("generatedBy").asText()).isEqualTo("origin");

        // Cloudflare's own pages next: the edge itself is failing now.
        observe(alpha, page(Vendor.CLOUDFLARE, Source.VENDOR, "FRA"), 1);
        IncidentView now = book.open().get(0);
        assertThat(now.generatedBy()).isEqualTo(Source.VENDOR);
        assertThat(now.whereWords()).isEqualTo("Cloudflare (edge) at FRA");
        assertThat(now.timeline()).extracting(TimelineEntry::message)
                .contains("attributed to Cloudflare (edge) at FRA");
    }

    @Test
    void attributionWinsOverTheConfiguredVendorAndTheIncidentSaysSo() {
        Subject alpha = Subject.chainUpstream("devnet", "alpha", "cloudflare");
        monitor.register(alpha);
        observe(alpha, page(Vendor.FASTLY, Source.VENDOR, "AMS"), 3);
        IncidentView open = book.open().get(0);
        assertThat(open.vendor()).isEqualTo(Vendor.FASTLY);
        assertThat(open.subject().vendor()).isEqualTo("cloudflare");
        assertThat(open.timeline().get(1).message()).isEqualTo(
                "attributed to Fastly (edge) at AMS; attribution wins over the configured vendor Cloudflare");
        assertThat(IncidentJson.of(open, clock.instant()).path("subject").path("configuredVendor").asText())
                .isEqualTo("cloudflare");
    }

    @Test
    void aConfiguredVendorNamesAnIncidentWithoutAttribution() {
        Subject alpha = Subject.siteOrigin("app", "first", "cloudflare");
        monitor.register(alpha);
        observe(alpha, Observation.failure("timeout", "no response headers within 2000 ms", null, null, 2000), 3);
        IncidentView open = book.open().get(0);
        assertThat(open.vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(open.generatedBy()).isEqualTo(Source.UNKNOWN);
        assertThat(open.timeline().get(1).message())
                .isEqualTo("vendor Cloudflare (configured; not seen in failed responses yet)");
    }

    @Test
    void aVendorWindowMutesTheAlertsOfASubjectConfiguredBehindThatVendorEvenWithoutAttribution() {
        List<Alert> sent = new CopyOnWriteArrayList<>();
        IncidentBook muted = new IncidentBook(MonitoringConfig.DEFAULT, clock,
                (subject, vendor, now) -> "cloudflare".equals(vendor) ? java.util.Optional.of("cloudflare-fra")
                        : java.util.Optional.empty(), sent::add, i -> { });
        Monitor watched = new Monitor(MonitoringConfig.DEFAULT, clock, muted);
        Subject first = Subject.siteOrigin("app", "first", "cloudflare");
        Subject second = Subject.siteOrigin("app", "second");
        watched.register(first);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            watched.observe(first, Observation.failure("timeout", "no response headers", null, null, 2000));
            watched.observe(second, Observation.failure("timeout", "no response headers", null, null, 2000));
        }
        clock.advance(MonitoringConfig.DEFAULT_GROUP_WAIT);
        muted.tick();
        assertThat(sent).extracting(a -> a.incident().subject().id()).containsExactly("site/app/second");
        assertThat(muted.open()).filteredOn(i -> i.subject().equals(first)).singleElement()
                .satisfies(i -> assertThat(i.timeline()).extracting(TimelineEntry::message)
                        .contains("alerts muted by maintenance window cloudflare-fra"));
    }

    @Test
    void anOutageResolvesOnTheSuccessStreakNotWhenTheBurnWindowClears() {
        Subject alpha = Subject.chainUpstream("devnet", "alpha");
        observe(alpha, Observation.success(10), 30);
        observe(alpha, page(Vendor.CLOUDFLARE, Source.VENDOR, "FRA"), 60);
        clock.advance(MonitoringConfig.DEFAULT_GROUP_WAIT);
        book.tick();
        assertThat(alerts).extracting(Alert::event).containsExactly(Alert.Event.OPENED);

        observe(alpha, Observation.success(10), MonitoringConfig.DEFAULT_RESOLVE_AFTER_SUCCESSES);
        // Five seconds after recovery, with 60 failures still inside the 5-minute short window.
        assertThat(book.open()).isEmpty();
        assertThat(book.resolved().get(0).timeline()).last().extracting(TimelineEntry::message)
                .isEqualTo("recovered after 1m 12s");
        assertThat(alerts).extracting(Alert::event).containsExactly(Alert.Event.OPENED, Alert.Event.RESOLVED);
    }
}
