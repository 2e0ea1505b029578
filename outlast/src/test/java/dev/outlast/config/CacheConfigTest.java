package dev.outlast.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The embedded cache's bound against the JVM's heap. */
class CacheConfigTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aBoundThatFitsInAQuarterOfTheHeapIsKept() {
        CacheConfig config = new CacheConfig(true, 64 * MIB, 64, null);
        assertThat(config.fittedToHeap(256 * MIB)).isSameAs(config);
        assertThat(CacheConfig.DEFAULT.fittedToHeap(6 * 1024 * MIB)).isSameAs(CacheConfig.DEFAULT);
    }

    @Test
    void aBoundTheHeapCannotHoldIsLoweredToAQuarterOfIt() {
        CacheConfig fitted = CacheConfig.DEFAULT.fittedToHeap(256 * MIB);
        assertThat(fitted.maxBytes()).isEqualTo(64 * MIB);
        assertThat(fitted.maxBytesSet()).isFalse();
        assertThat(new CacheConfig(true, 256 * MIB, 64, null).fittedToHeap(256 * MIB).maxBytesSet()).isTrue();
        assertThat(fitted.enabled()).isTrue();
        assertThat(fitted.reorgHorizon()).isEqualTo(CacheConfig.DEFAULT.reorgHorizon());
        assertThat(new CacheConfig(true, 10, 64, null).fittedToHeap(8).maxBytes()).isEqualTo(2);
        assertThat(new CacheConfig(true, 10, 64, null).fittedToHeap(0).maxBytes()).isEqualTo(1);
    }
}
