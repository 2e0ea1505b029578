package dev.outlast.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.WebClient;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.server.OutlastServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server whose file holds only a front door: it starts, answers for the hostname from its built-in
 * authoritative server, moves the answer when the first CDN edge serves Cloudflare 522 pages, and
 * shows the move on the front door's incident and the targets on the monitors.
 */
class FrontDoorServerTest {

    private final EdgeRig rig = new EdgeRig();

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void aFileWithOnlyAFrontDoorServesItsHostnameAndMovesIt() throws Exception {
        FrontDoorConfig door = rig.config(FrontDoorConfig.Failback.AUTO, List.of());
        OutlastConfig config = new OutlastConfig(ServerConfig.of("127.0.0.1", 0), List.of(), List.of(),
                CacheConfig.DEFAULT, OpsConfig.IN_MEMORY, List.of(door));
        try (OutlastServer server = OutlastServer.start(config)) {
            InetSocketAddress dns = server.frontDoors().servedAt("www").orElseThrow();
            await().untilAsserted(() -> assertThat(EdgeRig.cnameAt(dns)).isEqualTo(EdgeRig.CF_CNAME));
            await().untilAsserted(() -> assertThat(server.frontDoors().statuses().get(0).targets())
                    .extracting(TargetStatus::state).containsExactly("passing", "passing"));
            rig.cloudflare.failWith(522);

            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(EdgeRig.cnameAt(dns)).isEqualTo(EdgeRig.CFR_CNAME));
            WebClient api = WebClient.of("http://127.0.0.1:" + server.port());
            String incidents = api.get("/api/v1/incidents?state=open").aggregate().join().contentUtf8();
            assertThat(incidents).contains("\"id\" : \"frontdoor/www\"", "\"type\" : \"moved\"",
                    "www.example.com moved from cloudflare to cloudfront: cloudflare failing by its path's fault");
            await().untilAsserted(() -> assertThat(api.get("/api/v1/monitors").aggregate().join().contentUtf8())
                    .contains("\"id\" : \"frontdoor/www/cloudflare\"", "\"kind\" : \"frontdoor-target\""));
        }
    }
}
