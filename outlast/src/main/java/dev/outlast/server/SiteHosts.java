package dev.outlast.server;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.websocket.WebSocketService;
import dev.outlast.site.Site;
import dev.outlast.transport.HostMatcher;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How Armeria's server gives every request of a site's host to the site, by the one host rule both
 * servers follow ({@link HostMatcher}: any letter case and port, one trailing dot).
 *
 * <p>Each site gets a virtual host of its own, whose request limits are the site's (none; its
 * origins' response timeout bounds the wait) and which passes WebSocket upgrades through to an
 * origin. A Host that names a site other than exactly (with a trailing dot) finds no virtual host
 * there: over HTTP/1 a route on such a {@code Host} header takes its requests to the site instead,
 * so they stream as in the site's own (a WebSocket upgrade needs the exact name). Armeria shares the
 * server's routes with every virtual host, so a decorator sends a site's requests for the gateway's
 * own paths ({@code /rpc/...}, {@code /status}) to the site as well.
 *
 * <p>Thread-safe (stateless).
 */
final class SiteHosts {

    private SiteHosts() {
    }

    /** The sites by their host, for both servers. */
    static HostMatcher<Site> matcher(Collection<Site> sites) {
        Map<String, Site> byHost = new HashMap<>();
        for (Site site : sites) {
            byHost.put(site.config().host(), site);
        }
        return HostMatcher.of(byHost);
    }

    /** Binds {@code sites} on {@code sb}, found by {@code hosts}. */
    static void bind(ServerBuilder sb, Collection<Site> sites, HostMatcher<Site> hosts) {
        if (hosts.isEmpty()) {
            return;
        }
        for (Site site : sites) {
            sb.virtualHost(site.config().host())
              .maxRequestLength(0)
              .requestTimeout(Duration.ZERO)
              .serviceUnder("/", site.service());
        }
        sb.route().pathPrefix("/")
          .matchesHeaders(HttpHeaderNames.HOST, host -> dotted(host) && hosts.match(host) != null)
          .maxRequestLength(0)
          .requestTimeout(Duration.ZERO)
          .build((ctx, req) -> hosts.match(req.authority()).serve(ctx, req));
        sb.decorator((delegate, ctx, req) -> {
            Site site = hosts.match(req.authority());
            boolean siteService = ctx.config().service().as(WebSocketService.class) != null;
            return site != null && !siteService ? site.serve(ctx, req) : delegate.serve(ctx, req);
        });
    }

    /** Whether {@code host}'s name, without its port, ends with a dot: no virtual host is named so. */
    private static boolean dotted(String host) {
        int end = host.length();
        for (int i = end - 1; i >= 0; i--) {
            if (host.charAt(i) == ':') {
                end = i;
                break;
            }
        }
        while (end > 0 && (host.charAt(end - 1) == ' ' || host.charAt(end - 1) == '\t')) {
            end--;
        }
        return end > 0 && host.charAt(end - 1) == '.';
    }
}
