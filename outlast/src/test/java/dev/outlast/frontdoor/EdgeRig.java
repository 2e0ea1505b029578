package dev.outlast.frontdoor;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.CommonPools;
import dev.outlast.config.DnsConfig;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.frontdoor.dns.DnsProvider;
import dev.outlast.frontdoor.dns.RecordSet;
import dev.outlast.testing.CdnEdge;
import dev.outlast.testing.FakeOrigin;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * An origin behind two CDN edges on loopback ports, {@code cloudflare} (preferred) and
 * {@code cloudfront}, and a front door for {@code www.example.com} over them that probes fast: every
 * 200 ms (5 s deadline), moving after three failed probes, failing back after 1 s, undamped.
 */
final class EdgeRig implements AutoCloseable {

    static final String HOST = "www.example.com";
    static final String CF_CNAME = "www.example.com.cdn.cloudflare.net";
    static final String CFR_CNAME = "d111111abcdef8.cloudfront.net";

    final FakeOrigin origin = new FakeOrigin("origin").serve("ok");
    final CdnEdge cloudflare = new CdnEdge(CdnEdge.Vendor.CLOUDFLARE, origin.uri());
    final CdnEdge cloudfront = new CdnEdge(CdnEdge.Vendor.CLOUDFRONT, origin.uri());
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final RecordingListener listener = new RecordingListener();

    FrontDoorConfig config(FrontDoorConfig.Failback failback, List<DnsConfig> dns) {
        return new FrontDoorConfig("www", HOST, Duration.ofSeconds(5), failback, List.of(
                FrontDoorConfig.Target.cname("cloudflare", "cloudflare", CF_CNAME, probe(cloudflare)),
                FrontDoorConfig.Target.cname("cloudfront", "cloudfront", CFR_CNAME, probe(cloudfront))),
                dns, dns.isEmpty() ? new FrontDoorConfig.Serve("127.0.0.1", 0) : null,
                new FrontDoorConfig.Steering(3, Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(200),
                        Duration.ofSeconds(5)));
    }

    /** The front doors of {@code config}, writing to {@code providers}, started. */
    FrontDoors start(FrontDoorConfig config, List<DnsProvider> providers) {
        FrontDoors doors = new FrontDoors(List.of(config), List.of(), door -> providers, ClientFactory.ofDefault(),
                CommonPools.blockingTaskExecutor(), scheduler, Clock.systemUTC(), listener);
        doors.start();
        return doors;
    }

    static RecordSet cname(String target) {
        return new RecordSet(HOST, RecordSet.Type.CNAME, List.of(target), Duration.ofSeconds(5));
    }

    private static FrontDoorConfig.Probe probe(CdnEdge edge) {
        return new FrontDoorConfig.Probe(URI.create("http://" + HOST + "/ready"), "127.0.0.1", edge.port(), null, null);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        cloudflare.close();
        cloudfront.close();
        origin.close();
    }
}
