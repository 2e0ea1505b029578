package dev.outlast.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.attribution.Vendor;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Monitor;
import dev.outlast.monitor.Observation;
import dev.outlast.monitor.Subject;
import dev.outlast.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class IncidentLifecycleTest {

    private final MutableClock clock = new MutableClock();
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();
    private final List<IncidentView> persisted = new CopyOnWriteArrayList<>();
    private IncidentBook.Muting muting = IncidentBook.Muting.NONE;
    private final IncidentBook book = new IncidentBook(MonitoringConfig.DEFAULT, clock,
            (s, v, now) -> muting.mutedBy(s, v, now), alerts::add, persisted::add);
    private final Monitor monitor = new Monitor(MonitoringConfig.DEFAULT, clock, book);

    private final Subject alpha = Subject.chainUpstream("devnet", "alpha");
    private final Subject beta = Subject.chainUpstream("devnet", "beta");
    private final Subject gamma = Subject.chainUpstream("mainnet", "gamma");

    private void observe(Subject s, Observation o, int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(Duration.ofMillis(500));
            monitor.observe(s, o);
        }
    }

    private static Observation cloudflare(String location) {
        return Observation.failure("vendor_page", "cloudflare 522 at " + location, Vendor.CLOUDFLARE, location, 5);
    }

    private static Observation timeout() {
        return Observation.failure("timeout", "no response within the timeout", Vendor.UNKNOWN, null, 3000);
    }

    @Test
    void opensAttributesAlertsAfterTheGroupWaitAndResolvesWithATimeline() {
        observe(alpha, cloudflare("FRA"), 3);
        IncidentView open = book.open().get(0);
        assertThat(open.subject()).isEqualTo(alpha);
        assertThat(open.vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(open.locations()).containsExactly("FRA");
        assertThat(open.timeline()).extracting(TimelineEntry::type).containsExactly("opened", "attributed");

        book.tick();
        assertThat(alerts).isEmpty();
        clock.advance(MonitoringConfig.DEFAULT_GROUP_WAIT);
        book.tick();
        book.tick();
        assertThat(alerts).extracting(Alert::event).containsExactly(Alert.Event.OPENED);

        clock.advance(Duration.ofMinutes(3));
        observe(alpha, Observation.success(10), 5);
        assertThat(book.open()).isEmpty();
        IncidentView done = book.resolved().get(0);
        assertThat(done.state()).isEqualTo("resolved");
        assertThat(done.resolvedAt()).isEqualTo(clock.instant());
        assertThat(done.timeline().get(done.timeline().size() - 1).message()).isEqualTo("recovered after 3m 12s");
        assertThat(alerts).extracting(Alert::event).containsExactly(Alert.Event.OPENED, Alert.Event.RESOLVED);
        assertThat(persisted).extracting(IncidentView::id).containsOnly(open.id());
    }

    @Test
    void aFlapShorterThanTheGroupWaitNeverAlerts() {
        observe(alpha, timeout(), 3);
        observe(alpha, Observation.success(10), 5);
        clock.advance(Duration.ofMinutes(1));
        book.tick();
        assertThat(book.resolved()).hasSize(1);
        assertThat(alerts).isEmpty();
    }

    @Test
    void subjectsFailingWithOneVendorBecomeOneVendorIncidentThatAloneAlerts() {
        observe(alpha, cloudflare("FRA"), 3);
        observe(gamma, timeout(), 3);
        observe(beta, cloudflare("AMS"), 3);

        List<IncidentView> open = book.open();
        IncidentView parent = open.stream().filter(i -> i.subject().kind() == Subject.Kind.VENDOR).findFirst()
                .orElseThrow();
        assertThat(parent.subject().id()).isEqualTo("vendor/cloudflare");
        assertThat(parent.vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(parent.locations()).containsExactly("FRA", "AMS");
        assertThat(parent.children()).hasSize(2);
        assertThat(open).filteredOn(i -> parent.id().equals(i.parentId()))
                .extracting(i -> i.subject().id()).containsExactlyInAnyOrder("devnet/alpha", "devnet/beta");
        assertThat(open).filteredOn(i -> i.subject().equals(gamma)).singleElement()
                .satisfies(i -> assertThat(i.parentId()).isNull());

        clock.advance(Duration.ofMinutes(1));
        book.tick();
        assertThat(alerts).extracting(a -> a.incident().subject().id())
                .containsExactlyInAnyOrder("vendor/cloudflare", "mainnet/gamma");

        // A third Cloudflare subject joins the open vendor incident and does not alert on its own.
        Subject delta = Subject.chainUpstream("mainnet", "delta");
        observe(delta, cloudflare("FRA"), 3);
        clock.advance(Duration.ofMinutes(1));
        book.tick();
        assertThat(alerts).hasSize(2);
        assertThat(book.get(parent.id()).orElseThrow().children()).hasSize(3);

        observe(alpha, Observation.success(1), 5);
        observe(beta, Observation.success(1), 5);
        assertThat(book.get(parent.id()).orElseThrow().open()).isTrue();
        observe(delta, Observation.success(1), 5);
        IncidentView resolvedParent = book.get(parent.id()).orElseThrow();
        assertThat(resolvedParent.open()).isFalse();
        assertThat(resolvedParent.timeline()).extracting(TimelineEntry::message)
                .anyMatch(m -> m.startsWith("all 3 subjects recovered"));
        assertThat(alerts).filteredOn(a -> a.event() == Alert.Event.RESOLVED)
                .extracting(a -> a.incident().id()).containsExactly(parent.id());
    }

    @Test
    void aChangeOfAttributedVendorAfterTheOpenAlertAlertsAgain() {
        observe(alpha, timeout(), 3);
        clock.advance(Duration.ofMinutes(1));
        book.tick();
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.incident().vendor()).isEqualTo(Vendor.UNKNOWN));

        observe(alpha, cloudflare("FRA"), 1);
        observe(alpha, cloudflare("FRA"), 1);
        assertThat(alerts).extracting(Alert::event).containsExactly(Alert.Event.OPENED, Alert.Event.VENDOR_CHANGED);
        assertThat(alerts.get(1).incident().vendor()).isEqualTo(Vendor.CLOUDFLARE);
        assertThat(book.open().get(0).timeline()).extracting(TimelineEntry::type).contains("attributed");
    }

    @Test
    void downgradeAndUpgradeAreTimelineUpdatesOfOneIncident() {
        for (int i = 0; i < 40; i++) {
            observe(alpha, i % 4 == 3 ? timeout() : Observation.success(5), 1);
        }
        assertThat(book.open()).singleElement().satisfies(i -> assertThat(i.severity()).isEqualTo(Health.DEGRADED));
        observe(alpha, timeout(), 3);
        IncidentView incident = book.open().get(0);
        assertThat(incident.severity()).isEqualTo(Health.DOWN);
        assertThat(incident.timeline()).extracting(TimelineEntry::message)
                .anyMatch(m -> m.startsWith("degraded -> down"));
    }

    @Test
    void maintenanceMutesTheIncidentsAlertsForItsWholeLife() {
        muting = (s, v, now) -> "devnet/alpha".equals(s) ? Optional.of("provider upgrade") : Optional.empty();
        observe(alpha, timeout(), 3);
        clock.advance(Duration.ofMinutes(1));
        book.tick();
        muting = IncidentBook.Muting.NONE;
        observe(alpha, Observation.success(1), 5);
        assertThat(alerts).isEmpty();
        assertThat(book.resolved().get(0).timeline()).extracting(TimelineEntry::message)
                .contains("alerts muted by maintenance window provider upgrade");
    }

    @Test
    void acknowledgeIsRecordedOnTheTimeline() {
        observe(alpha, timeout(), 3);
        String id = book.open().get(0).id();
        assertThat(book.acknowledge(id, "admin")).hasValueSatisfying(i -> {
            assertThat(i.acknowledgedBy()).isEqualTo("admin");
            assertThat(i.timeline()).extracting(TimelineEntry::type).endsWith("acknowledged");
        });
        assertThat(book.acknowledge("inc-nope", "admin")).isEmpty();
    }
}
