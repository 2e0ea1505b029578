package dev.outlast.drill.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The JSON-RPC shapes of blocks, transactions and receipts of a {@link SimulatedChain}, with the
 * fields clients such as web3j and ethers read. Stateless.
 */
final class ChainJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ZERO_ADDRESS = "0x" + "0".repeat(40);
    private static final String EMPTY_BLOOM = "0x" + "0".repeat(512);
    /** keccak(rlp([])): the uncles hash of a block without uncles. */
    private static final String EMPTY_UNCLES = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";
    /** keccak(rlp("")): the root of an empty trie. */
    private static final String EMPTY_TRIE = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

    private ChainJson() {
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    static String hex(BigInteger value) {
        return "0x" + value.toString(16);
    }

    static ObjectNode block(SimulatedChain chain, SimBlock b, boolean fullTransactions) {
        ObjectNode o = NODES.objectNode()
                .put("number", hex(b.number()))
                .put("hash", b.hash())
                .put("parentHash", b.parentHash())
                .put("timestamp", hex(b.timestamp()))
                .put("baseFeePerGas", hex(b.baseFeePerGas()))
                .put("gasLimit", hex(b.gasLimit()))
                .put("gasUsed", hex(b.gasUsed()))
                .put("miner", ZERO_ADDRESS)
                .put("difficulty", "0x0")
                .put("totalDifficulty", "0x0")
                .put("extraData", "0x")
                .put("nonce", "0x0000000000000000")
                .put("mixHash", SimBlock.ZERO_HASH)
                .put("sha3Uncles", EMPTY_UNCLES)
                .put("stateRoot", SimBlock.ZERO_HASH)
                .put("transactionsRoot", EMPTY_TRIE)
                .put("receiptsRoot", EMPTY_TRIE)
                .put("logsBloom", EMPTY_BLOOM)
                .put("size", hex(512 + 110L * b.transactions().size()));
        ArrayNode txs = o.putArray("transactions");
        for (String hash : b.transactions()) {
            if (fullTransactions) {
                chain.transaction(hash).ifPresent(tx -> txs.add(transaction(tx, chain.inclusion(hash))));
            } else {
                txs.add(hash);
            }
        }
        o.putArray("uncles");
        return o;
    }

    static ObjectNode transaction(SimTransaction tx, Optional<SimulatedChain.Inclusion> inclusion) {
        ObjectNode o = NODES.objectNode()
                .put("hash", tx.hash())
                .put("type", hex(tx.type()))
                .put("chainId", hex(tx.chainId()))
                .put("nonce", hex(tx.nonce()))
                .put("from", tx.from())
                .put("to", tx.to())
                .put("value", hex(tx.value()))
                .put("gas", hex(tx.gasLimit()))
                .put("input", tx.input())
                .put("v", tx.v())
                .put("r", tx.r())
                .put("s", tx.s());
        if (tx.maxPriorityFee() != null) {
            o.put("maxFeePerGas", hex(tx.maxFeePerGas())).put("maxPriorityFeePerGas", hex(tx.maxPriorityFee()))
                    .put("yParity", tx.v());
        }
        if (tx.type() != 0) {
            o.putArray("accessList");
        }
        if (inclusion.isPresent()) {
            SimulatedChain.Inclusion in = inclusion.get();
            o.put("blockHash", in.blockHash()).put("blockNumber", hex(in.blockNumber()))
                    .put("transactionIndex", hex(in.index())).put("gasPrice", hex(in.effectiveGasPrice()));
        } else {
            o.putNull("blockHash").putNull("blockNumber").putNull("transactionIndex")
                    .put("gasPrice", hex(tx.maxFeePerGas()));
        }
        return o;
    }

    static ObjectNode receipt(SimTransaction tx, SimulatedChain.Inclusion in) {
        ObjectNode o = NODES.objectNode()
                .put("transactionHash", tx.hash())
                .put("transactionIndex", hex(in.index()))
                .put("blockHash", in.blockHash())
                .put("blockNumber", hex(in.blockNumber()))
                .put("from", tx.from())
                .put("to", tx.to())
                .put("cumulativeGasUsed", hex(in.cumulativeGasUsed()))
                .put("gasUsed", hex(SimulatedChain.TRANSFER_GAS))
                .put("effectiveGasPrice", hex(in.effectiveGasPrice()))
                .putNull("contractAddress")
                .put("logsBloom", EMPTY_BLOOM)
                .put("type", hex(tx.type()))
                .put("status", "0x1");
        o.putArray("logs");
        return o;
    }
}
