package dev.outlast.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One cached result and how it was obtained, so a hit carries the same explanation headers as
 * the original answer.
 *
 * @param method    the JSON-RPC method, for metrics
 * @param result    the result (never an error, never null); shared between hits, never mutated
 * @param upstreams the upstreams that served it
 * @param consensus e.g. {@code 2/3} for a consensus read, or null
 * @param verified  {@code proof} when proof-verified, or null
 * @param validity  how long it stays true
 * @param bytes     the size of the serialised result, which the cache's bound counts
 */
public record CachedAnswer(String method, JsonNode result, List<String> upstreams, String consensus,
                           String verified, Validity validity, int bytes) {

    public CachedAnswer {
        upstreams = List.copyOf(upstreams);
    }
}
