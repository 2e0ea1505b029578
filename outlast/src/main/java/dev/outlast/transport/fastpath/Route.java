package dev.outlast.transport.fastpath;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;

/**
 * Who answers a request, as {@link Classifier} decides from its head: the fast path as a JSON-RPC
 * call ({@link Rpc}) or as a site's request ({@link SiteRequest}), or Armeria ({@link Armeria}).
 * The chain and the site are what {@link Classifier} was given for them (a {@code routing.Chain} and
 * a {@code site.Site} in the server; anything in a test).
 *
 * <p>Immutable.
 */
sealed interface Route permits Route.Rpc, Route.SiteRequest, Route.Armeria {

    /** Armeria answers: the one instance, so that passing a request on allocates nothing. */
    enum Armeria implements Route {
        INSTANCE
    }

    /**
     * A JSON-RPC call answered here.
     *
     * @param chain     the chain it is for
     * @param length    its body's length, from its one {@code Content-Length}
     * @param keepAlive whether the connection stays open after the answer
     * @param <C>       the chain's type
     */
    record Rpc<C>(C chain, int length, boolean keepAlive) implements Route {
    }

    /**
     * A site's {@code GET} or {@code HEAD} without a body, answered here.
     *
     * @param site      the site whose host it names
     * @param headers   the request's headers as Armeria's server would have made them
     * @param keepAlive whether the connection stays open after the answer
     * @param <S>       the site's type
     */
    record SiteRequest<S>(S site, RequestHeaders headers, boolean keepAlive) implements Route {

        boolean head() {
            return headers.method() == HttpMethod.HEAD;
        }
    }
}
