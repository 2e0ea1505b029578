package dev.outlast.frontdoor;

import static dev.outlast.frontdoor.EdgeRig.CFR_CNAME;
import static dev.outlast.frontdoor.EdgeRig.CF_CNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outlast.config.DnsConfig;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.frontdoor.dns.DnsProvider;
import dev.outlast.frontdoor.dns.DnsProviders;
import dev.outlast.testing.BindServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A front door steering {@code www.example.com} on a real BIND 9 {@code named} (RFC 2136 updates
 * signed with TSIG), over two CDN edges in front of one origin on loopback: what the world resolves
 * moves, moves back or stays as the edges and the origin fail.
 */
class FrontDoorBindIT {

    private static final Duration MOVE = Duration.ofSeconds(20);
    private static final Duration STAYS = Duration.ofSeconds(3);

    private final EdgeRig rig = new EdgeRig();
    private final ExecutorService blocking = Executors.newFixedThreadPool(2);
    private BindServer named;

    @BeforeEach
    void startNamed() {
        named = BindServer.start("example.com");
    }

    @AfterEach
    void stop() {
        rig.close();
        named.close();
        blocking.shutdownNow();
    }

    @Test
    void movesOnCloudflare522PagesAndMovesBackWithAutoFailback() {
        try (FrontDoors doors = startedOnCloudflare(FrontDoorConfig.Failback.AUTO)) {
            rig.cloudflare.failWith(522);

            await().atMost(MOVE).untilAsserted(() -> assertThat(resolved()).isEqualTo(CFR_CNAME));
            assertThat(rig.listener.events.get(0)).contains("moved from cloudflare to cloudfront",
                    "HTTP 522, Cloudflare (edge) at FRA");
            await().untilAsserted(() -> assertThat(doors.statuses().get(0).providers().get(0).state())
                    .isEqualTo("in_sync"));
            rig.cloudflare.failWith(0);

            await().atMost(MOVE).untilAsserted(() -> assertThat(resolved()).isEqualTo(CF_CNAME));
            await().untilAsserted(() -> assertThat(rig.listener.types()).containsExactly("moved", "moved", "settled"));
        }
    }

    @Test
    void staysOnTheTargetMovedToWithManualFailback() {
        try (FrontDoors doors = startedOnCloudflare(FrontDoorConfig.Failback.MANUAL)) {
            rig.cloudflare.failWith(522);
            await().atMost(MOVE).untilAsserted(() -> assertThat(resolved()).isEqualTo(CFR_CNAME));
            rig.cloudflare.failWith(0);

            await().atMost(MOVE).untilAsserted(() -> assertThat(doors.statuses().get(0).targets().get(0).state())
                    .isEqualTo("passing"));
            await().during(STAYS).atMost(STAYS.plusSeconds(5))
                    .untilAsserted(() -> assertThat(resolved()).isEqualTo(CFR_CNAME));
            assertThat(rig.listener.types()).containsExactly("moved");
        }
    }

    @Test
    void doesNotMoveWhenTheOriginFailsBehindBothEdges() {
        try (FrontDoors doors = startedOnCloudflare(FrontDoorConfig.Failback.AUTO)) {
            rig.origin.status(503);

            await().atMost(MOVE).untilAsserted(() -> assertThat(rig.listener.events).anySatisfy(e -> assertThat(e)
                    .contains("origin failing behind every CDN; steering would not help")));
            await().during(STAYS).atMost(STAYS.plusSeconds(5))
                    .untilAsserted(() -> assertThat(resolved()).isEqualTo(CF_CNAME));
            assertThat(doors.statuses().get(0).active()).isEqualTo("cloudflare");
        }
    }

    @Test
    void doesNotMoveWhenTheOtherTargetFailsToo() {
        try (FrontDoors doors = startedOnCloudflare(FrontDoorConfig.Failback.AUTO)) {
            rig.cloudfront.failWith(502);
            rig.cloudflare.failWith(522);

            await().atMost(MOVE).untilAsserted(() -> assertThat(rig.listener.events).anySatisfy(e -> assertThat(e)
                    .contains("cloudflare failing by its path's fault, but no other target passes")));
            await().during(STAYS).atMost(STAYS.plusSeconds(5))
                    .untilAsserted(() -> assertThat(resolved()).isEqualTo(CF_CNAME));
            assertThat(doors.statuses().get(0).holding()).isEqualTo("no_target_passing");
        }
    }

    @Test
    void aWrongTsigSecretIsReportedInTheServersWordsAndNothingChanges() throws Exception {
        try (DnsProvider right = provider(named.secret())) {
            right.write(EdgeRig.cname(CF_CNAME)).get();
        }
        byte[] wrong = new byte[32];
        String wrongSecret = Base64.getEncoder().encodeToString(wrong);
        try (FrontDoors doors = start(FrontDoorConfig.Failback.AUTO, wrongSecret)) {
            await().atMost(MOVE).untilAsserted(() -> assertThat(rig.listener.events).anySatisfy(e -> assertThat(e)
                    .startsWith("dns degraded: rfc2136 ").contains("failed for www.example.com: query refused: "
                            + "NOTAUTH (BADSIG)")));
            assertThat(doors.statuses().get(0).providers().get(0).error()).isEqualTo("query refused: NOTAUTH (BADSIG)");
            rig.cloudflare.failWith(522);

            await().atMost(MOVE).untilAsserted(() -> assertThat(doors.statuses().get(0).targets().get(0).failStreak())
                    .isGreaterThanOrEqualTo(3));
            await().during(STAYS).atMost(STAYS.plusSeconds(5))
                    .untilAsserted(() -> assertThat(resolved()).isEqualTo(CF_CNAME));
            assertThat(doors.statuses().get(0).started()).as("nothing decided without a readable record").isFalse();
        }
    }

    private FrontDoors start(FrontDoorConfig.Failback failback, String secret) {
        DnsConfig dns = rfc2136(secret);
        return rig.start(rig.config(failback, List.of(dns)), door -> List.of(provider(secret)));
    }

    private DnsConfig rfc2136(String secret) {
        return new DnsConfig.Rfc2136(named.address(), "example.com",
                new DnsConfig.Tsig(BindServer.KEY_NAME, BindServer.ALGORITHM, secret), false);
    }

    private DnsProvider provider(String secret) {
        return DnsProviders.create(rfc2136(secret), null, blocking, Clock.systemUTC());
    }

    /** A front door with the right key, once {@code named} answers cloudflare and both targets pass. */
    private FrontDoors startedOnCloudflare(FrontDoorConfig.Failback failback) {
        FrontDoors doors = start(failback, named.secret());
        await().atMost(MOVE).untilAsserted(() -> assertThat(resolved()).isEqualTo(CF_CNAME));
        await().atMost(MOVE).untilAsserted(() -> assertThat(doors.statuses().get(0).targets())
                .extracting(TargetStatus::state).containsExactly("passing", "passing"));
        return doors;
    }

    /** The CNAME {@code named} answers for the hostname to anyone. */
    private String resolved() throws Exception {
        return EdgeRig.cnameAt(named.address());
    }
}
