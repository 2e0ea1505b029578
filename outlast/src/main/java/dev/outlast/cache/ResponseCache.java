package dev.outlast.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.outlast.config.CacheConfig;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The response cache of every chain: an embedded Caffeine cache bounded by the bytes of the
 * answers it holds, and, when configured, a {@link RedisTier} shared by replicas.
 *
 * <h2>Implementation note</h2>
 * Keys are {@code chain method canonical-params}, the params as sent upstream (pinned), so the
 * key of a {@code latest} request names its block. An answer that depends on a block that is not
 * yet final is also listed under that block number, per chain; when the chain's {@link Finality}
 * sees a reorg at block {@code n}, {@link #evictFrom} removes every answer listed at {@code n} or
 * above. A lookup also checks the answer's {@link Validity} against the chain's current hashes, so
 * an answer cannot outlive its block even between a reorg and its detection by the watcher. The
 * lists are pruned as blocks become final ({@link #forgetBelow}): a final answer needs no watching.
 *
 * <p>Thread-safe. Never blocks: the shared tier is asked asynchronously with a short timeout and
 * its failure only costs a miss.
 */
public final class ResponseCache implements AutoCloseable {

    /** Overhead counted per entry on top of the result's bytes: key, object headers, index. */
    static final int ENTRY_OVERHEAD_BYTES = 200;

    private final Cache<String, CachedAnswer> local;
    private final Map<String, ConcurrentSkipListMap<Long, Set<String>>> byBlock = new ConcurrentHashMap<>();
    private final CacheListener listener;
    private final RedisTier shared;

    public ResponseCache(CacheConfig config, CacheListener listener) {
        this(config, listener, config.redis() == null ? null : new RedisTier(config.redis()));
    }

    ResponseCache(CacheConfig config, CacheListener listener, RedisTier shared) {
        this.listener = listener;
        this.shared = shared;
        this.local = Caffeine.newBuilder()
                .maximumWeight(config.maxBytes())
                // Eviction work runs on the thread that added the entry: cheap, and no pool to share.
                .executor(Runnable::run)
                .weigher((String key, CachedAnswer answer) -> weight(key, answer))
                .evictionListener((String key, CachedAnswer answer, RemovalCause cause) -> {
                    if (key != null && answer != null && cause == RemovalCause.SIZE) {
                        listener.onEviction(chainOf(key), answer.method(), "size");
                    }
                })
                .build();
    }

    /** Writes JSON with object keys sorted, so equal params give equal keys. */
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

    /** The cache key of a request; {@code canonicalParams} is the params' canonical JSON. */
    public static String key(String chain, String method, String canonicalParams) {
        return chain + ' ' + method + ' ' + canonicalParams;
    }

    /**
     * The cache (and coalescing) key of a request: {@code chain method params}, with the params'
     * object keys sorted; null if the params cannot be written.
     */
    public static String key(String chain, String method, JsonNode params) {
        try {
            return key(chain, method, CANONICAL.writeValueAsString(params));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static String chainOf(String key) {
        return key.substring(0, key.indexOf(' '));
    }

    private static int weight(String key, CachedAnswer answer) {
        long w = (long) key.length() * 2 + answer.bytes() + ENTRY_OVERHEAD_BYTES;
        return (int) Math.min(Integer.MAX_VALUE, w);
    }

    /** The embedded cache's answer, if it holds one that is still true. */
    public CachedAnswer lookupLocal(String chain, String key, Finality finality) {
        CachedAnswer answer = local.getIfPresent(key);
        if (answer == null) {
            return null;
        }
        if (!answer.validity().holds(finality)) {
            if (local.asMap().remove(key, answer)) {
                listener.onEviction(chain, answer.method(), "stale");
            }
            return null;
        }
        listener.onHit(chain, answer.method(), "local");
        return answer;
    }

    /** True when a shared tier is configured, so a local miss is worth {@link #lookupShared}. */
    public boolean hasSharedTier() {
        return shared != null;
    }

    /**
     * The shared tier's answer, if it holds one that is still true; completes with null on a miss,
     * when Redis is down or slow. Never completes exceptionally. A hit is kept locally too.
     */
    public CompletableFuture<CachedAnswer> lookupShared(String chain, String key, String method, Finality finality) {
        if (shared == null) {
            return CompletableFuture.completedFuture(null);
        }
        return shared.get(key, method).thenApply(answer -> {
            if (answer == null || !answer.validity().holds(finality)) {
                return null;
            }
            keepLocally(chain, key, answer);
            listener.onHit(chain, method, "redis");
            return answer;
        });
    }

    /** Counts a miss of a cacheable request (after every tier was asked). */
    public void missed(String chain, String method) {
        listener.onMiss(chain, method);
    }

    /** Keeps an answer in every tier. */
    public void store(String chain, String key, CachedAnswer answer) {
        keepLocally(chain, key, answer);
        if (shared != null) {
            shared.put(key, answer);
        }
    }

    private void keepLocally(String chain, String key, CachedAnswer answer) {
        local.put(key, answer);
        if (!answer.validity().isForever()) {
            byBlock.computeIfAbsent(chain, c -> new ConcurrentSkipListMap<>())
                    .computeIfAbsent(answer.validity().block(), b -> ConcurrentHashMap.newKeySet())
                    .add(key);
        }
    }

    /**
     * Removes every answer of {@code chain} that depends on block {@code block} or a later one: the
     * chain replaced them in a reorg.
     *
     * @return how many answers were removed
     */
    public int evictFrom(String chain, long block) {
        ConcurrentSkipListMap<Long, Set<String>> blocks = byBlock.get(chain);
        if (blocks == null) {
            return 0;
        }
        int removed = 0;
        Map<Long, Set<String>> tail = blocks.tailMap(block, true);
        for (Set<String> keys : tail.values()) {
            for (String key : keys) {
                CachedAnswer answer = local.asMap().remove(key);
                if (answer != null) {
                    removed++;
                    listener.onEviction(chain, answer.method(), "reorg");
                }
            }
        }
        tail.clear();
        return removed;
    }

    /** Stops watching answers at or below a final block: they can no longer change. */
    public void forgetBelow(String chain, long finalBlock) {
        ConcurrentSkipListMap<Long, Set<String>> blocks = byBlock.get(chain);
        if (blocks != null) {
            blocks.headMap(finalBlock, true).clear();
        }
    }

    /** The bytes the embedded cache holds, as counted against its bound. */
    public long weightedSize() {
        return local.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** How many answers the embedded cache holds. */
    public long size() {
        return local.estimatedSize();
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
    }
}
