package dev.outlast.site;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The side of a proxied request that faces the client: the event loop its connection runs on
 * (where the request is handled), its address and whether it came over TLS. The server's fast
 * path makes one per connection; the address is formatted for {@code X-Forwarded-For} once.
 *
 * <p>Immutable.
 */
public final class Client {

    private final EventExecutor loop;
    private final boolean tls;
    private final String ip;

    /**
     * @param loop    the client connection's event loop
     * @param address the client's address, or null when unknown
     * @param tls     whether the client connected over TLS
     */
    public Client(EventExecutor loop, InetSocketAddress address, boolean tls) {
        this.loop = loop;
        this.tls = tls;
        this.ip = ip(address);
    }

    /** The client of a request served by Armeria. */
    static Client of(ServiceRequestContext ctx) {
        return new Client(ctx.eventLoop(), ctx.remoteAddress(), ctx.sessionProtocol().isTls());
    }

    EventExecutor loop() {
        return loop;
    }

    boolean tls() {
        return tls;
    }

    /** The client's IP address as {@code X-Forwarded-For} gives it ({@code unknown} when not known). */
    String ip() {
        return ip;
    }

    private static String ip(InetSocketAddress address) {
        if (address == null) {
            return "unknown";
        }
        InetAddress a = address.getAddress();
        return a == null ? address.getHostString() : a.getHostAddress();
    }
}
