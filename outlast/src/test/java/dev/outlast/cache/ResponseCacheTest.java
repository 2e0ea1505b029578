package dev.outlast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlast.config.CacheConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The embedded store: its byte bound, reorg eviction and the check of every hit. */
class ResponseCacheTest {

    private final Map<String, AtomicInteger> events = new ConcurrentHashMap<>();
    private final CacheListener listener = new CacheListener() {
        @Override
        public void onHit(String chain, String method, String tier) {
            events.computeIfAbsent("hit", k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onEviction(String chain, String method, String cause) {
            events.computeIfAbsent(cause, k -> new AtomicInteger()).incrementAndGet();
        }
    };
    private final Map<Long, String> hashes = new ConcurrentHashMap<>();
    private final Finality chain = new Finality() {
        @Override
        public long finalBlock() {
            return 10;
        }

        @Override
        public String hashAt(long block) {
            return hashes.get(block);
        }
    };

    private static CachedAnswer answer(String value, Validity validity) {
        return new CachedAnswer("eth_getBalance", TextNode.valueOf(value), List.of("alpha"), "2/2", null, validity,
                value.length() + 2);
    }

    private int count(String event) {
        return events.getOrDefault(event, new AtomicInteger()).get();
    }

    @Test
    void holdsNoMoreBytesThanItsBound() {
        long bound = 64 * 1024;
        ResponseCache cache = new ResponseCache(new CacheConfig(true, bound, 64, null), listener);
        String value = "0x" + "1".repeat(1000);
        for (int i = 0; i < 1000; i++) {
            cache.store("devnet", ResponseCache.key("devnet", "eth_getBalance", "[\"" + i + "\"]"),
                    answer(value, Validity.FOREVER));
        }
        assertThat(cache.weightedSize()).isLessThanOrEqualTo(bound);
        assertThat(cache.size()).isBetween(20L, 64L);
        assertThat(count("size")).isGreaterThan(900);
    }

    @Test
    void aReorgEvictsEveryAnswerFromItsBlockUp() {
        ResponseCache cache = new ResponseCache(CacheConfig.DEFAULT, listener);
        for (long block = 11; block <= 15; block++) {
            hashes.put(block, "h" + block);
            cache.store("devnet", "devnet eth_getBalance " + block, answer("0x" + block, new Validity(block, "h" + block)));
        }
        cache.store("devnet", "devnet net_version []", answer("1337", Validity.FOREVER));
        cache.store("other", "other eth_getBalance 14", answer("0x0", new Validity(14, "h14")));

        assertThat(cache.evictFrom("devnet", 13)).isEqualTo(3);

        assertThat(count("reorg")).isEqualTo(3);
        assertThat(cache.lookupLocal("devnet", "devnet eth_getBalance 12", chain)).isNotNull();
        assertThat(cache.lookupLocal("devnet", "devnet eth_getBalance 13", chain)).isNull();
        assertThat(cache.lookupLocal("devnet", "devnet eth_getBalance 15", chain)).isNull();
        assertThat(cache.lookupLocal("devnet", "devnet net_version []", chain)).isNotNull();
        assertThat(cache.lookupLocal("other", "other eth_getBalance 14", chain)).isNotNull();
    }

    @Test
    void anAnswerWhoseBlockWasReplacedIsNotServedEvenBeforeEviction() {
        ResponseCache cache = new ResponseCache(CacheConfig.DEFAULT, listener);
        hashes.put(12L, "h12");
        cache.store("devnet", "k", answer("0x1", new Validity(12, "h12")));
        assertThat(cache.lookupLocal("devnet", "k", chain)).isNotNull();

        hashes.put(12L, "h12-replaced");

        assertThat(cache.lookupLocal("devnet", "k", chain)).isNull();
        assertThat(count("stale")).isEqualTo(1);
        assertThat(cache.size()).isZero();
    }

    @Test
    void anAnswerThatBecameFinalNeedsNoHashAnyMore() {
        ResponseCache cache = new ResponseCache(CacheConfig.DEFAULT, listener);
        cache.store("devnet", "k", answer("0x1", new Validity(9, "h9")));
        cache.forgetBelow("devnet", 10);
        assertThat(cache.lookupLocal("devnet", "k", chain)).isNotNull();
        assertThat(cache.evictFrom("devnet", 0)).isZero();
    }
}
