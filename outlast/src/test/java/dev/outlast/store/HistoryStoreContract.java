package dev.outlast.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history store's behaviour, run against each database by a subclass. */
abstract class HistoryStoreContract {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    protected HistoryStore store;

    protected abstract HistoryStore openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static StoredIncident incident(String id, String state, Instant resolvedAt, List<StoredIncident.Event> events) {
        return new StoredIncident(id, null, "chain-upstream", "devnet/alpha", "devnet", "alpha", "cloudflare",
                List.of("FRA", "AMS"), "down", state, T0, resolvedAt, null, events);
    }

    @Test
    void keepsAnIncidentWithItsTimelineAndUpdatesItInPlace() {
        StoredIncident.Event opened = new StoredIncident.Event(T0, "opened", "devnet/alpha down: 3 failures");
        StoredIncident.Event attributed = new StoredIncident.Event(T0, "attributed", "attributed to Cloudflare at FRA");
        String id = "inc-" + System.nanoTime();
        store.saveIncident(incident(id, "open", null, List.of(opened, attributed)));
        Instant end = T0.plus(Duration.ofMinutes(7));
        StoredIncident.Event resolved = new StoredIncident.Event(end, "resolved", "recovered after 7m 0s");
        store.saveIncident(incident(id, "resolved", end, List.of(opened, attributed, resolved)));

        StoredIncident back = store.incident(id).orElseThrow();
        assertThat(back.state()).isEqualTo("resolved");
        assertThat(back.resolvedAt()).isEqualTo(end);
        assertThat(back.openedAt()).isEqualTo(T0);
        assertThat(back.vendor()).isEqualTo("cloudflare");
        assertThat(back.locations()).containsExactly("FRA", "AMS");
        assertThat(back.events()).containsExactly(opened, attributed, resolved);
        assertThat(store.incidents(10)).extracting(StoredIncident::id).contains(id);
    }

    @Test
    void keepsWhoGeneratedTheFailuresAndTheConfiguredVendorAlsoWhenAPreviousRunIsClosed() {
        String id = "inc-source-" + System.nanoTime();
        store.saveIncident(new StoredIncident(id, null, "site-origin", "site/app/first", "app", "first", "cloudflare",
                List.of("FRA"), "down", "open", T0, null, null,
                List.of(new StoredIncident.Event(T0, "opened", "site/app/first down")), "origin", "cloudflare"));
        StoredIncident back = store.incident(id).orElseThrow();
        assertThat(back.generatedBy()).isEqualTo("origin");
        assertThat(back.subjectVendor()).isEqualTo("cloudflare");

        store.closeDangling(T0.plus(Duration.ofHours(1)));
        StoredIncident closed = store.incident(id).orElseThrow();
        assertThat(closed.state()).isEqualTo("resolved");
        assertThat(closed.generatedBy()).isEqualTo("origin");
        assertThat(closed.subjectVendor()).isEqualTo("cloudflare");
        // An incident written without them reads back null for both.
        String plain = "inc-plain-" + System.nanoTime();
        store.saveIncident(incident(plain, "open", null, List.of()));
        assertThat(store.incident(plain).orElseThrow()).extracting(StoredIncident::generatedBy,
                StoredIncident::subjectVendor).containsExactly(null, null);
    }

    @Test
    void listsNewestFirst() {
        for (int i = 0; i < 3; i++) {
            store.saveIncident(new StoredIncident("inc-order-" + i, null, "probe", "probe/api", "probes", "api", null,
                    List.of(), "degraded", "open", T0.plusSeconds(i), null, null, List.of()));
        }
        assertThat(store.incidents(2)).extracting(StoredIncident::id).containsExactly("inc-order-2", "inc-order-1");
    }

    @Test
    void addsMinuteCountsAndSumsThemPerDay() {
        Instant day1 = Instant.parse("2026-11-20T00:00:00Z");
        store.addMinutes(List.of(new HistoryStore.MinuteRow("devnet/alpha", day1.plusSeconds(60), 10, 0, 100),
                new HistoryStore.MinuteRow("devnet/alpha", day1.plusSeconds(120), 5, 5, 50)));
        // The same minute again adds to it (a partial minute flushed twice).
        store.addMinutes(List.of(new HistoryStore.MinuteRow("devnet/alpha", day1.plusSeconds(120), 0, 5, 0),
                new HistoryStore.MinuteRow("devnet/alpha", day1.plus(Duration.ofDays(1)), 4, 0, 0),
                new HistoryStore.MinuteRow("devnet/beta", day1, 1, 0, 0)));

        Map<String, List<Uptime>> uptime = store.dailyUptime(day1);
        assertThat(uptime.get("devnet/alpha")).containsExactly(
                new Uptime(LocalDate.parse("2026-11-20"), 15, 10), new Uptime(LocalDate.parse("2026-11-21"), 4, 0));
        assertThat(uptime.get("devnet/alpha").get(0).ratio()).isEqualTo(0.6);
        assertThat(uptime.get("devnet/beta")).hasSize(1);
        assertThat(store.dailyUptime(day1.plus(Duration.ofDays(1))).get("devnet/alpha")).hasSize(1);
    }

    @Test
    void prunesResultsOlderThanTheRetention() {
        Instant now = Instant.parse("2026-11-27T00:00:00Z");
        store.addMinutes(List.of(new HistoryStore.MinuteRow("probe/old", now.minus(Duration.ofDays(91)), 1, 0, 0),
                new HistoryStore.MinuteRow("probe/old", now.minus(Duration.ofDays(89)), 1, 0, 0)));
        assertThat(store.prune(now.minus(Duration.ofDays(90)))).isEqualTo(1);
        assertThat(store.dailyUptime(now.minus(Duration.ofDays(100))).get("probe/old")).hasSize(1);
    }

    @Test
    void resolvesIncidentsAPreviousRunLeftOpen() {
        String id = "inc-dangling-" + System.nanoTime();
        store.saveIncident(incident(id, "open", null, List.of(new StoredIncident.Event(T0, "opened", "down"))));
        Instant restart = T0.plus(Duration.ofHours(1));
        assertThat(store.closeDangling(restart)).isGreaterThanOrEqualTo(1);
        StoredIncident back = store.incident(id).orElseThrow();
        assertThat(back.state()).isEqualTo("resolved");
        assertThat(back.resolvedAt()).isEqualTo(restart);
        assertThat(back.events()).last().satisfies(e -> assertThat(e.message()).startsWith("closed at restart"));
    }

    @Test
    void reopeningMigratesNothingTwice() throws Exception {
        // Flyway finds its history table and applies nothing: opening the same database again works.
        try (HistoryStore again = reopen()) {
            assertThat(again.incidents(1)).isNotNull();
        }
    }

    protected abstract HistoryStore reopen() throws Exception;

    @Test
    void anUnreachableDatabaseIsAClearError() {
        assertThatThrownBy(() -> HistoryStore.open(dev.outlast.config.StorageConfig.postgres(
                "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "u", "secret")))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open the history store (PostgreSQL jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("secret");
    }
}
