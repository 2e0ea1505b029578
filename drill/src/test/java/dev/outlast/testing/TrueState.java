package dev.outlast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigInteger;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The truth a load test judges answers by: what a node, queried directly (no proxy, no faults),
 * says an account held at each block of a range. An answer received between blocks {@code before}
 * and {@code after} was right if it is one of the values held in {@code [before, after]}.
 * Thread-safe.
 */
public final class TrueState implements AutoCloseable {

    private final JsonRpcClient node;

    /** Judges by {@code node}, which must be a node itself, not a proxy. */
    public TrueState(URI node) {
        this.node = new JsonRpcClient(node);
    }

    /** Every balance {@code address} held at a block in {@code [fromBlock, toBlock]}. */
    public Set<BigInteger> balances(String address, long fromBlock, long toBlock) {
        return values("eth_getBalance", address, fromBlock, toBlock);
    }

    /** Every nonce {@code address} had at a block in {@code [fromBlock, toBlock]}. */
    public Set<BigInteger> nonces(String address, long fromBlock, long toBlock) {
        return values("eth_getTransactionCount", address, fromBlock, toBlock);
    }

    /** Whether {@code balance} was {@code address}'s balance at some block in {@code [before, after]}. */
    public boolean isValidBalance(String address, BigInteger balance, long before, long after) {
        return balances(address, before, after).contains(balance);
    }

    /** Whether {@code nonce} was {@code address}'s nonce at some block in {@code [before, after]}. */
    public boolean isValidNonce(String address, BigInteger nonce, long before, long after) {
        return nonces(address, before, after).contains(nonce);
    }

    /** The node's head now. */
    public long head() {
        return node.blockNumber();
    }

    @Override
    public void close() {
        node.close();
    }

    private Set<BigInteger> values(String method, String address, long fromBlock, long toBlock) {
        if (fromBlock < 0 || toBlock < fromBlock) {
            throw new IllegalArgumentException("blocks: [" + fromBlock + ", " + toBlock
                    + "] (expected: 0 <= from <= to)");
        }
        ArrayNode batch = JsonRpcClient.MAPPER.createArrayNode();
        for (long b = fromBlock; b <= toBlock; b++) {
            batch.add(JsonRpcClient.request(method, address, "0x" + Long.toHexString(b)));
        }
        Set<BigInteger> values = new LinkedHashSet<>();
        for (JsonNode answer : node.exchange(batch)) {
            if (answer.has("error")) {
                throw new JsonRpcClient.RpcException(answer.get("error"));
            }
            values.add(new BigInteger(answer.get("result").asText().substring(2), 16));
        }
        return values;
    }
}
