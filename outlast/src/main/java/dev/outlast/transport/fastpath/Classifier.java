package dev.outlast.transport.fastpath;

import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.RequestTarget;
import com.linecorp.armeria.common.RequestTargetForm;
import dev.outlast.transport.HostMatcher;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decides from a request's head who answers it ({@link Route}): a pure function of the request and
 * the configuration, with no connection or I/O, so every rule is tested without sockets.
 *
 * <p>The fast path takes a request only when it is plainly one of two kinds, over HTTP/1.1 with a
 * decoded head, exactly one {@code Host} and no {@code Transfer-Encoding}, {@code Expect} or
 * {@code Upgrade}:
 * <ul>
 *   <li>a JSON-RPC call: {@code POST /rpc/<a chain>}, a single {@code Content-Length} within the
 *       request size limit, no {@code Origin} (a browser's CORS call is Armeria's), a {@code Host}
 *       that is no site's ({@link HostMatcher});</li>
 *   <li>a site's request without a body: {@code GET} or {@code HEAD} on a site's host, no
 *       {@code Content-Length}, at most one {@code Cookie}, and a path Armeria's server accepts
 *       ({@link RequestTarget#forServer}, normalised the same way), with headers Armeria accepts.</li>
 * </ul>
 * Everything else is Armeria's, which answers it as it always has. A request for Armeria costs no
 * allocation here ({@link Route.Armeria#INSTANCE}); one for the fast path, its one route.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <C> what a chain is (a {@code routing.Chain} in the server)
 * @param <S> what a site is (a {@code site.Site} in the server)
 */
final class Classifier<C, S> {

    private static final String PREFIX = "/rpc/";
    /** The most digits a {@code Content-Length} within an {@code int} limit can have. */
    private static final int MAX_LENGTH_DIGITS = 10;

    private final Map<String, C> chains;
    private final HostMatcher<S> sites;
    private final long maxRequestBytes;

    /**
     * @param chains          the chains served, by id
     * @param sites           the sites by host: every request for such a host is the site's
     * @param maxRequestBytes the largest JSON-RPC body answered here; a larger one is Armeria's (its 413)
     */
    Classifier(Map<String, C> chains, HostMatcher<S> sites, long maxRequestBytes) {
        this.chains = chains;
        this.sites = sites;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Who answers {@code request}. */
    Route classify(HttpRequest request) {
        if (!HttpVersion.HTTP_1_1.equals(request.protocolVersion()) || !request.decoderResult().isSuccess()) {
            return Route.Armeria.INSTANCE;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || headers.contains(HttpHeaderNames.EXPECT)
                || headers.contains(HttpHeaderNames.UPGRADE)) {
            return Route.Armeria.INSTANCE;
        }
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() != 1) {
            return Route.Armeria.INSTANCE;
        }
        HttpMethod method = request.method();
        if (HttpMethod.POST.equals(method)) {
            return rpc(request, hosts.get(0));
        }
        if (!sites.isEmpty() && (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))) {
            return site(request, hosts.get(0));
        }
        return Route.Armeria.INSTANCE;
    }

    private Route rpc(HttpRequest request, String host) {
        String uri = request.uri();
        if (!uri.startsWith(PREFIX)) {
            return Route.Armeria.INSTANCE;
        }
        C chain = chains.get(uri.substring(PREFIX.length()));
        if (chain == null) {
            return Route.Armeria.INSTANCE;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.ORIGIN)) {
            return Route.Armeria.INSTANCE;
        }
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (lengths.size() != 1 || !digits(lengths.get(0)) || lengths.get(0).length() > MAX_LENGTH_DIGITS
                || Long.parseLong(lengths.get(0)) > maxRequestBytes) {
            return Route.Armeria.INSTANCE;
        }
        if (sites.match(host) != null) {
            return Route.Armeria.INSTANCE;
        }
        return new Route.Rpc<>(chain, Integer.parseInt(lengths.get(0)), HttpUtil.isKeepAlive(request));
    }

    /** A site's {@code GET} or {@code HEAD} without a body, with the headers Armeria's server would have made. */
    private Route site(HttpRequest request, String host) {
        S site = sites.match(host);
        String uri = request.uri();
        HttpHeaders headers = request.headers();
        if (site == null || uri.isEmpty() || uri.charAt(0) != '/' || headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                || headers.getAll(HttpHeaderNames.COOKIE).size() > 1) {
            return Route.Armeria.INSTANCE;
        }
        RequestTarget target = RequestTarget.forServer(uri);
        if (target == null || target.form() != RequestTargetForm.ORIGIN) {
            return Route.Armeria.INSTANCE;
        }
        RequestHeadersBuilder out = RequestHeaders.builder(
                HttpMethod.GET.equals(request.method()) ? com.linecorp.armeria.common.HttpMethod.GET
                                                        : com.linecorp.armeria.common.HttpMethod.HEAD,
                target.toString());
        try {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext();) {
                Map.Entry<CharSequence, CharSequence> h = it.next();
                out.add(com.linecorp.armeria.common.HttpHeaderNames.of(h.getKey()), h.getValue().toString());
            }
            return new Route.SiteRequest<>(site, out.build(), HttpUtil.isKeepAlive(request));
        } catch (IllegalArgumentException e) {
            // a header Armeria would refuse: it answers that itself
            return Route.Armeria.INSTANCE;
        }
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
