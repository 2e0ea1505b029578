package dev.outlast.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.testing.FakeScheduler;
import dev.outlast.testing.FakeTicker;
import dev.outlast.transport.FailureKind;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The order in which a site's origins are tried, from their health alone (no request is sent). */
class SiteOrderTest {

    private final FakeTicker ticker = new FakeTicker();
    private final Site site = new Site(SiteConfig.of("app", "app.test", List.of(
            new OriginConfig("first", URI.create("http://127.0.0.1:9/")),
            new OriginConfig("second", URI.create("http://127.0.0.1:9/")),
            new OriginConfig("third", URI.create("http://127.0.0.1:9/")))),
            ClientFactory.ofDefault(), new FakeScheduler(ticker), ticker, Clock.systemUTC(), SiteListener.NONE);

    @AfterEach
    void close() {
        site.close();
    }

    @Test
    void healthyOriginsAreTriedInConfigurationOrder() {
        assertThat(names(site.order())).containsExactly("first", "second", "third");
    }

    @Test
    void aDegradedPrimaryIsTriedAfterTheHealthyStandbys() {
        fail("first", 1);

        assertThat(names(site.order())).containsExactly("second", "third", "first");
    }

    @Test
    void aDownOriginLastInConfigurationStaysLast() {
        fail("third", 3);

        assertThat(names(site.order())).containsExactly("first", "second", "third");
    }

    @Test
    void downOriginsComeLastByScore() {
        fail("second", 4);
        fail("third", 3);

        assertThat(names(site.order())).containsExactly("first", "third", "second");
    }

    private void fail(String origin, int times) {
        Origin o = site.origins().stream().filter(x -> x.name().equals(origin)).findFirst().orElseThrow();
        for (int i = 0; i < times; i++) {
            o.health().failed(FailureKind.TIMEOUT, "no answer within 2000 ms", null);
        }
    }

    private static List<String> names(List<Origin> origins) {
        return origins.stream().map(Origin::name).toList();
    }
}
