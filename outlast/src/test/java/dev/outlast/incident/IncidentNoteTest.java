package dev.outlast.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.config.MonitoringConfig;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Subject;
import dev.outlast.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Events decided outside the monitor (a front door's record moving) on an incident: noted, alerted each, resolved. */
class IncidentNoteTest {

    private final MutableClock clock = new MutableClock();
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();
    private final List<IncidentView> persisted = new CopyOnWriteArrayList<>();
    private final Subject door = Subject.frontDoor("www");

    @Test
    void aNoteOpensAnIncidentEachNoteAlertsAtOnceAndResolveClosesIt() {
        IncidentBook book = new IncidentBook(MonitoringConfig.DEFAULT, clock, IncidentBook.Muting.NONE, alerts::add,
                persisted::add);
        book.note(door, Health.DEGRADED, "moved", "www.example.com moved from cloudflare to cloudfront");
        clock.advance(Duration.ofSeconds(30));
        book.note(door, Health.DOWN, "held", "origin failing behind every CDN; steering would not help");
        book.tick();

        IncidentView open = book.open().get(0);
        assertThat(open.subject()).isEqualTo(door);
        assertThat(open.severity()).isEqualTo(Health.DOWN);
        assertThat(open.timeline()).extracting(TimelineEntry::type).containsExactly("moved", "held");
        assertThat(alerts).extracting(Alert::event).containsExactly(Alert.Event.NOTE, Alert.Event.NOTE);
        assertThat(alerts).extracting(Alert::dedupKey).doesNotHaveDuplicates();
        assertThat(IncidentJson.text(alerts.get(0), clock.instant())).isEqualTo("Incident opened: frontdoor/www "
                + "degraded: www.example.com moved from cloudflare to cloudfront [" + open.id() + "]");
        assertThat(IncidentJson.text(alerts.get(1), clock.instant())).isEqualTo("Incident updated: frontdoor/www "
                + "down: origin failing behind every CDN; steering would not help [" + open.id() + "]");

        book.resolve(door, "www.example.com on cloudflare (preferred)");
        assertThat(book.open()).isEmpty();
        assertThat(alerts).extracting(Alert::event).last().isEqualTo(Alert.Event.RESOLVED);
        assertThat(persisted).last().satisfies(i -> assertThat(i.timeline()).extracting(TimelineEntry::message).last()
                .isEqualTo("www.example.com on cloudflare (preferred) after 30s"));
    }

    @Test
    void aMaintenanceWindowMutesTheNotes() {
        IncidentBook book = new IncidentBook(MonitoringConfig.DEFAULT, clock,
                (subject, vendor, now) -> subject.equals("frontdoor/www") ? Optional.of("cdn-switch") : Optional.empty(),
                alerts::add, persisted::add);
        book.note(door, Health.DEGRADED, "moved", "moved ahead of maintenance");
        book.note(door, Health.DEGRADED, "moved", "moved back");
        book.resolve(door, "done");

        assertThat(alerts).isEmpty();
        assertThat(book.resolved().get(0).timeline()).extracting(TimelineEntry::type)
                .containsExactly("moved", "muted", "moved", "resolved");
    }
}
