package dev.outlast.site;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;

/**
 * The side of a proxied request that faces the client: the event loop its connection runs on
 * (where the request is handled), its address and whether it came over TLS.
 *
 * @param loop    the client connection's event loop
 * @param address the client's address, or null when unknown
 * @param tls     whether the client connected over TLS
 */
record Client(EventExecutor loop, InetSocketAddress address, boolean tls) {

    /** The client of a request served by Armeria. */
    static Client of(ServiceRequestContext ctx) {
        return new Client(ctx.eventLoop(), ctx.remoteAddress(), ctx.sessionProtocol().isTls());
    }
}
