package dev.outlast.frontdoor.dns;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.DnsConfig;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * Makes the {@link DnsProvider} for one {@code frontDoors[].dns} entry: {@link Rfc2136Provider},
 * {@link Route53Provider} (the SDK's default credentials chain) or {@link CloudflareProvider}, each with its
 * default time-out, wrapped in a {@link DryRunProvider} when the entry says {@code dryRun: true}.
 *
 * <p>Thread-safe (stateless).
 */
public final class DnsProviders {

    private DnsProviders() {
    }

    /**
     * @param http     Armeria's client factory (Cloudflare's API)
     * @param blocking runs the calls that block: the AWS SDK's, and looking up an RFC 2136 server's name; a
     *                 small pool of its own, never an event loop
     * @param clock    signs TSIG messages and dates dry-run writes
     */
    public static DnsProvider create(DnsConfig config, ClientFactory http, Executor blocking, Clock clock) {
        DnsProvider provider = switch (config) {
            case DnsConfig.Rfc2136 rfc2136 -> new Rfc2136Provider(rfc2136, blocking, clock,
                                                                  Rfc2136Provider.DEFAULT_TIMEOUT);
            case DnsConfig.Route53 route53 -> new Route53Provider(route53, blocking, Route53Provider.DEFAULT_TIMEOUT);
            case DnsConfig.Cloudflare cloudflare -> new CloudflareProvider(cloudflare, http,
                                                                           CloudflareProvider.DEFAULT_TIMEOUT);
        };
        return config.dryRun() ? new DryRunProvider(provider, clock) : provider;
    }
}
