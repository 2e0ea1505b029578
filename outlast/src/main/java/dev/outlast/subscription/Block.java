package dev.outlast.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One block of the served chain as a {@link BlockFeed} delivers it, with what notifications carry
 * already written as JSON, once for every subscriber.
 *
 * @param header   the block as {@code eth_getBlockByNumber(n, false)} gives it
 * @param headJson the {@code newHeads} notification's result, UTF-8 JSON: the header without
 *                 transactions, uncles, size and total difficulty, as geth sends it
 * @param logs     its logs (those of the contracts the feed's listeners asked for), empty when no
 *                 listener wants logs
 * @param logJson  each log as UTF-8 JSON, in the order of {@code logs}
 */
public record Block(long number, String hash, String parentHash, JsonNode header, byte[] headJson,
                    List<JsonNode> logs, List<byte[]> logJson) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NOT_IN_HEADS = List.of("transactions", "uncles", "size", "totalDifficulty");

    /** A block without logs. */
    static Block of(long number, String hash, String parentHash, JsonNode header) {
        ObjectNode head = header.deepCopy();
        head.remove(NOT_IN_HEADS);
        return new Block(number, hash, parentHash, header, write(head), List.of(), List.of());
    }

    /** This block with {@code logs}. */
    Block withLogs(List<JsonNode> newLogs) {
        return new Block(number, hash, parentHash, header, headJson, List.copyOf(newLogs),
                newLogs.stream().map(Block::write).toList());
    }

    /** Log {@code i} as a reorg removed it: {@code removed: true}. */
    byte[] removedLogJson(int i) {
        ObjectNode copy = logs.get(i).deepCopy();
        copy.put("removed", true);
        return write(copy);
    }

    static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
