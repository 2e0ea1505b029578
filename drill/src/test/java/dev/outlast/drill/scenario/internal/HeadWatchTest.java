package dev.outlast.drill.scenario.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.drill.scenario.HeadStats;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** How the drill's newHeads client judges a stream: gaps, duplicates, unlinked blocks, a socket that never opened. */
class HeadWatchTest {

    private static String h(long n) {
        return "0x" + String.format("%064x", n);
    }

    @Test
    void judgesGapsDuplicatesAndLinks() {
        // nothing listens on port 1: the socket never opens, which is itself a failure
        try (HeadWatch watch = new HeadWatch(URI.create("ws://127.0.0.1:1/rpc/devnet"))) {
            assertThat(watch.stats().closedEarly()).isTrue();
            assertThat(watch.stats().failure()).contains("could not subscribe");
            watch.judge(10, h(10), h(9));
            watch.judge(11, h(11), h(10));
            watch.judge(11, h(11), h(10));          // a duplicate
            watch.judge(14, h(14), h(13));          // 12 and 13 missing
            watch.judge(15, h(15), "0xother");      // does not link to 14
            watch.judge(15, "0xreplaced", h(14));   // a replacement after a reorg: not a duplicate
            HeadStats stats = watch.stats();
            assertThat(stats.delivered()).isEqualTo(6);
            assertThat(stats.duplicates()).isEqualTo(1);
            assertThat(stats.gaps()).isEqualTo(2);
            assertThat(stats.unlinked()).isEqualTo(1);
            assertThat(stats.clean()).isFalse();
            assertThat(stats.line()).startsWith("6 blocks, 2 gaps, 1 duplicates, 1 unlinked (could not subscribe");
        }
    }

    @Test
    void aCleanStreamIsClean() {
        HeadStats clean = new HeadStats(5, 0, 0, 0, false, null);
        assertThat(clean.clean()).isTrue();
        assertThat(clean.line()).isEqualTo("5 blocks, 0 gaps, 0 duplicates");
        assertThat(new HeadStats(0, 0, 0, 0, false, null).clean()).as("nothing delivered").isFalse();
    }
}
