package dev.outlast.frontdoor;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.CommonPools;
import dev.outlast.config.DnsConfig;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.frontdoor.dns.DnsProvider;
import dev.outlast.frontdoor.dns.RecordSet;
import dev.outlast.testing.CdnEdge;
import dev.outlast.testing.FakeOrigin;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

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
        return start(config, door -> providers);
    }

    /** The front doors of {@code config}, writing to what {@code providers} creates, started. */
    FrontDoors start(FrontDoorConfig config, FrontDoors.Providers providers) {
        FrontDoors doors = new FrontDoors(List.of(config), List.of(), providers, ClientFactory.ofDefault(),
                CommonPools.blockingTaskExecutor(), scheduler, Clock.systemUTC(), listener);
        doors.start();
        return doors;
    }

    static RecordSet cname(String target) {
        return new RecordSet(HOST, RecordSet.Type.CNAME, List.of(target), Duration.ofSeconds(5));
    }

    /** The CNAME {@code server} answers for the hostname, as {@code dig} would ask, without the trailing dot. */
    static String cnameAt(InetSocketAddress server) throws Exception {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(Duration.ofSeconds(2));
        Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(HOST + "."), Type.CNAME,
                DClass.IN)));
        if (answer.getRcode() != Rcode.NOERROR) {
            return Rcode.string(answer.getRcode());
        }
        return answer.getSection(Section.ANSWER).stream().map(Record::rdataToString)
                .map(name -> name.substring(0, name.length() - 1)).findFirst().orElse("none");
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
