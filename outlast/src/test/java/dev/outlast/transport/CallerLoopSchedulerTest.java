package dev.outlast.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.EventLoopGroups;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallerLoopSchedulerTest {

    @Test
    void aCallerOnALoopOfTheGroupGetsThatLoop() throws Exception {
        EventLoopGroup group = EventLoopGroups.newEventLoopGroup(3);
        try {
            CallerLoopScheduler scheduler = new CallerLoopScheduler(group);
            for (int i = 0; i < 3; i++) {
                EventLoop loop = group.next();
                EventLoop got = loop.submit(() -> scheduler.acquire(SessionProtocol.HTTP, null, null).get())
                        .get(5, TimeUnit.SECONDS);
                assertThat(got).isSameAs(loop);
            }
            EventLoop outside = scheduler.acquire(SessionProtocol.HTTP, null, null).get();
            assertThat(group).contains(outside);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
