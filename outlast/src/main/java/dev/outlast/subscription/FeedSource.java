package dev.outlast.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link BlockFeed} reads of its chain: the served head, blocks and their logs through the
 * chain's own routing, and the hashes the served chain is known to have.
 */
public interface FeedSource {

    /** The chain's served head; -1 before one is known. */
    long servedHead();

    /** Block {@code number} without its transactions, or null when it could not be read. */
    CompletableFuture<JsonNode> block(long number);

    /**
     * The logs of the block with hash {@code blockHash}, from the given contracts only (null: all), or
     * null when they could not be read.
     */
    CompletableFuture<JsonNode> logs(String blockHash, Set<String> addresses);

    /** The hash the served chain has at {@code number}, or null when it is not recorded. */
    String canonicalHash(long number);
}
