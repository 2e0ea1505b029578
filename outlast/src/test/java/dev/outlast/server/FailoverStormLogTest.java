package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailoverStormLogTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(FailoverStormLog.class);

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        scheduler.shutdownNow();
    }

    @Test
    void stormIsOneLineWithCountsPerUpstream() {
        try (FailoverStormLog storms = new FailoverStormLog(scheduler)) {
            for (int i = 0; i < 25; i++) {
                storms.onFailover("devnet", "eth_call", "alpha");
            }
            storms.onFailover("devnet", "eth_call", "beta");
            storms.summarize();
            assertThat(appender.list).hasSize(1);
            assertThat(appender.list.get(0).getFormattedMessage())
                    .isEqualTo("chain devnet: 26 requests failed over in the last 10 s, away from {alpha=25, beta=1}");
            storms.summarize();
            assertThat(appender.list).as("counts reset after each summary").hasSize(1);
        }
    }

    @Test
    void aFewFailoversAreNotAStorm() {
        try (FailoverStormLog storms = new FailoverStormLog(scheduler)) {
            for (int i = 0; i < FailoverStormLog.THRESHOLD - 1; i++) {
                storms.onFailover("devnet", "eth_call", "alpha");
            }
            storms.summarize();
            assertThat(appender.list).isEmpty();
        }
    }
}
