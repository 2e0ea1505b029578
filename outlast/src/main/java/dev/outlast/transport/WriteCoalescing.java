package dev.outlast.transport;

import com.linecorp.armeria.client.ConnectionPoolListener;
import com.linecorp.armeria.common.SessionProtocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AttributeMap;
import java.net.InetSocketAddress;

/**
 * Fewer system calls per request: what one task of an event loop writes to a connection that is
 * not being read leaves in one flush.
 *
 * <p>Over HTTP/1.1 Armeria flushes after each part of a message (a call's headers, then its body;
 * an answer's headers, body and end), and its pipelines merge those flushes only while the same
 * connection is being read. A gateway mostly writes to one connection while reading another: a
 * call to an upstream while reading the client's request, the answer to the client while reading
 * the upstream's reply. Each part was then a system call of its own, the costliest part of a
 * request on a small machine. Here such flushes are merged until the loop's current task ends
 * (Netty's {@link FlushConsolidationHandler} with consolidation when no read is in progress);
 * nothing waits longer than that task, and a request's parts leave in fewer writes (strace under
 * wrk shows the difference; docs/benchmarks.md).
 *
 * <p>Thread-safe (stateless); each connection's handler runs on that connection's event loop.
 */
public final class WriteCoalescing {

    /** A flush is forced after this many merged ones, as in Netty's default. */
    private static final int MAX_MERGED_FLUSHES = 256;

    private WriteCoalescing() {
    }

    /**
     * For {@code ClientFactoryBuilder.connectionPoolListener}: each new connection to an upstream or
     * origin. Armeria hands the listener the connection's {@link Channel}; if a version stops
     * doing so, connections keep Armeria's own flushing and nothing else changes.
     */
    public static ConnectionPoolListener client() {
        return new ConnectionPoolListener() {
            @Override
            public void connectionOpen(SessionProtocol protocol, InetSocketAddress remoteAddr,
                                       InetSocketAddress localAddr, AttributeMap attrs) {
                if (attrs instanceof Channel channel) {
                    coalesce(channel.pipeline());
                }
            }

            @Override
            public void connectionClosed(SessionProtocol protocol, InetSocketAddress remoteAddr,
                                         InetSocketAddress localAddr, AttributeMap attrs) {
            }
        };
    }

    /**
     * Merges the flushes of one connection: for {@code ServerBuilder.childChannelPipelineCustomizer}
     * (connections from clients), and by {@link #client()} (connections to upstreams and origins).
     */
    public static void coalesce(ChannelPipeline pipeline) {
        if (pipeline.get(FlushConsolidationHandler.class) != null) {
            pipeline.replace(FlushConsolidationHandler.class, null,
                             new FlushConsolidationHandler(MAX_MERGED_FLUSHES, true));
        }
    }
}
