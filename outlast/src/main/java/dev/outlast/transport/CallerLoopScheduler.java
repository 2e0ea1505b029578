package dev.outlast.transport;

import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.EventLoopScheduler;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.ReleasableHolder;
import dev.outlast.time.Timers;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

/**
 * Runs a call to an upstream or origin on the event loop that asks for it, when that is one of the
 * client's loops: the client request and the server request it serves then share a thread, so the
 * answer reaches the server's connection without a hand-over between threads (no task queued on
 * another loop, no wake-up of it). Each loop keeps its own connections to each endpoint, as a
 * worker of nginx or Envoy does. A call started elsewhere (a scheduler thread, a test) takes the
 * loops in turn.
 *
 * <p>Thread-safe.
 */
public final class CallerLoopScheduler implements EventLoopScheduler {

    private final EventLoopGroup group;

    /** For {@code ClientFactoryBuilder.eventLoopSchedulerFactory}: the client's event loops. */
    public CallerLoopScheduler(EventLoopGroup group) {
        this.group = group;
    }

    @Override
    public ReleasableHolder<EventLoop> acquire(SessionProtocol protocol, EndpointGroup endpointGroup,
                                               Endpoint endpoint) {
        if (Timers.current(group) instanceof EventLoop loop) {
            return new Held(loop);
        }
        return new Held(group.next());
    }

    private record Held(EventLoop get) implements ReleasableHolder<EventLoop> {
        @Override
        public void release() {
        }
    }
}
