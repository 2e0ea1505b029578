package dev.outlast.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.linecorp.armeria.common.Flags;
import com.linecorp.armeria.common.util.TransportType;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransportTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Transport.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Transport.PROPERTY);
        } else {
            System.setProperty(Transport.PROPERTY, saved);
        }
    }

    @Test
    void asksForIoUringWhenNothingWasChosen() {
        System.clearProperty(Transport.PROPERTY);

        Transport.preferIoUring();

        assertThat(System.getProperty(Transport.PROPERTY)).isEqualTo("io_uring");
    }

    @Test
    void leavesAnOperatorsChoiceAlone() {
        System.setProperty(Transport.PROPERTY, "epoll");

        Transport.preferIoUring();

        assertThat(System.getProperty(Transport.PROPERTY)).isEqualTo("epoll");
    }

    @Test
    void armeriaRunsOnIoUringWhereTheKernelOffersIt() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring not available here: " + IoUring.unavailabilityCause());

        assertThat(Flags.transportType()).isEqualTo(TransportType.IO_URING);
    }
}
