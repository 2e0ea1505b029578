package dev.outlast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

class LeakCheckTest {

    @Test
    void failsTheTestThatLeaksABufferAndNamesWhereItWasAllocated() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(Leaking.class))
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        Event failed = tests.failed().stream().findFirst().orElseThrow();
        assertThat(failed.getTestDescriptor().getDisplayName()).isEqualTo("leaksABuffer()");
        Throwable failure = failed.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(failure)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("LEAK: ByteBuf.release() was not called")
                .hasMessageContaining("Leaking.leaksABuffer(")
                .hasMessageContaining("deliberately leaked by LeakCheckTest");
    }

    /** Run only by the test above (JUnit does not discover a static nested class on its own). */
    static class Leaking {

        @Test
        void leaksABuffer() {
            ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(16)
                    .writeBytes("leaked".getBytes(StandardCharsets.US_ASCII));
            buffer.touch("deliberately leaked by LeakCheckTest");
        }

        @Test
        void releasesItsBuffer() {
            ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(16)
                    .writeBytes("kept".getBytes(StandardCharsets.US_ASCII));
            buffer.touch("a released buffer");
            buffer.release();
        }
    }
}
