package dev.outlast.time;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.util.EventLoopGroups;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimersTest {

    private final EventLoopGroup group = EventLoopGroups.newEventLoopGroup(4);

    @AfterEach
    void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aTimerArmedOnALoopOfTheGroupRunsOnThatLoop() throws Exception {
        for (int i = 0; i < 4; i++) {
            EventLoop loop = group.next();
            CompletableFuture<Boolean> ranOnSameLoop = new CompletableFuture<>();
            loop.execute(() -> Timers.schedule(group, () -> ranOnSameLoop.complete(loop.inEventLoop()), 1_000_000L));
            assertThat(ranOnSameLoop.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void currentIsTheLoopRunningTheCallerOrNone() throws Exception {
        EventLoop loop = group.next();
        assertThat(loop.submit(() -> Timers.current(group)).get(5, TimeUnit.SECONDS)).isSameAs(loop);
        assertThat(Timers.current(group)).isNull();
    }

    @Test
    void anyOtherSchedulerOrThreadIsUsedAsItIs() throws Exception {
        ScheduledExecutorService plain = Executors.newSingleThreadScheduledExecutor();
        try {
            CompletableFuture<String> thread = new CompletableFuture<>();
            Timers.schedule(plain, () -> thread.complete(Thread.currentThread().getName()), 1_000_000L);
            assertThat(thread.get(5, TimeUnit.SECONDS)).doesNotContain("main");

            CompletableFuture<Boolean> onGroup = new CompletableFuture<>();
            Timers.schedule(group, () -> onGroup.complete(Timers.current(group) != null), 1_000_000L);
            assertThat(onGroup.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            plain.shutdownNow();
        }
    }
}
