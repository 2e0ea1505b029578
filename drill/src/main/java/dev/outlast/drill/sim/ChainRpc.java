package dev.outlast.drill.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JSON-RPC API of a {@link SimulatedChain}: parses a body (single call or batch), dispatches each
 * call and builds the answer. Block tags: {@code latest}, {@code earliest}, {@code pending} (state
 * with the waiting transactions; the head block for block queries), {@code safe}, {@code finalized},
 * hex numbers and EIP-1898 objects. A call without {@code id} is answered with {@code "id": null}.
 * Thread-safe.
 */
final class ChainRpc {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final BigInteger PRIORITY_FEE = BigInteger.valueOf(1_000_000_000L);
    private static final long PENDING = -1;

    private final SimulatedChain chain;

    ChainRpc(SimulatedChain chain) {
        this.chain = chain;
    }

    /** The answer to a request body; never throws. */
    JsonNode handle(byte[] body) {
        JsonNode request;
        try {
            request = MAPPER.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !(request.isObject() || request.isArray())) {
            return error(NullNode.getInstance(), new RpcError(RpcError.PARSE_ERROR, "parse error"));
        }
        if (request.isObject()) {
            return call(request);
        }
        if (request.isEmpty()) {
            return error(NullNode.getInstance(), new RpcError(RpcError.INVALID_REQUEST, "empty batch"));
        }
        ArrayNode answers = MAPPER.createArrayNode();
        request.forEach(r -> answers.add(call(r)));
        return answers;
    }

    private JsonNode call(JsonNode request) {
        JsonNode id = request.path("id").isMissingNode() ? NullNode.getInstance() : request.get("id");
        if (!request.isObject() || !request.path("method").isTextual()) {
            return error(id, new RpcError(RpcError.INVALID_REQUEST, "invalid request"));
        }
        JsonNode params = request.path("params");
        try {
            ObjectNode answer = MAPPER.createObjectNode().put("jsonrpc", "2.0");
            answer.set("id", id);
            answer.set("result", dispatch(request.get("method").asText(), params.isArray() ? params
                    : MAPPER.createArrayNode()));
            return answer;
        } catch (RpcError e) {
            return error(id, e);
        }
    }

    private JsonNode dispatch(String method, JsonNode p) {
        return switch (method) {
            case "eth_chainId" -> text(ChainJson.hex(chain.chainId()));
            case "net_version" -> text(Long.toString(chain.chainId()));
            case "web3_clientVersion" -> text("OutlastSimulatedChain/v0.1");
            case "eth_syncing" -> BooleanNode.FALSE;
            case "eth_blockNumber" -> text(ChainJson.hex(chain.head().number()));
            case "eth_gasPrice" -> text(ChainJson.hex(chain.baseFee().add(PRIORITY_FEE)));
            case "eth_maxPriorityFeePerGas" -> text(ChainJson.hex(PRIORITY_FEE));
            case "eth_estimateGas" -> text(ChainJson.hex(SimulatedChain.TRANSFER_GAS));
            case "eth_getBlockByNumber" -> blockByNumber(p);
            case "eth_getBlockByHash" -> chain.blockByHash(hash(p, 0))
                    .<JsonNode>map(b -> ChainJson.block(chain, b, p.path(1).asBoolean(false)))
                    .orElse(NullNode.getInstance());
            case "eth_getBalance" -> text(ChainJson.hex(account(p).balance()));
            case "eth_getTransactionCount" -> text(ChainJson.hex(account(p).nonce()));
            case "eth_getCode" -> {
                account(p);
                yield text("0x");
            }
            case "eth_call" -> {
                stateBlock(p.path(1));
                yield text("0x");
            }
            case "eth_sendRawTransaction" -> text(chain.sendRawTransaction(rawTransaction(p)));
            case "eth_getTransactionByHash" -> {
                String hash = hash(p, 0);
                yield chain.transaction(hash).<JsonNode>map(tx -> ChainJson.transaction(tx, chain.inclusion(hash)))
                        .orElse(NullNode.getInstance());
            }
            case "eth_getTransactionReceipt" -> {
                String hash = hash(p, 0);
                Optional<SimTransaction> tx = chain.transaction(hash);
                Optional<SimulatedChain.Inclusion> in = chain.inclusion(hash);
                yield tx.isPresent() && in.isPresent() ? ChainJson.receipt(tx.get(), in.get()) : NullNode.getInstance();
            }
            default -> throw new RpcError(RpcError.METHOD_NOT_FOUND, "the method " + method
                    + " does not exist/is not available");
        };
    }

    private JsonNode blockByNumber(JsonNode p) {
        long number = blockNumber(p.path(0));
        Optional<SimBlock> block = number == PENDING ? Optional.of(chain.head()) : chain.block(number);
        return block.<JsonNode>map(b -> ChainJson.block(chain, b, p.path(1).asBoolean(false)))
                .orElse(NullNode.getInstance());
    }

    private AccountState account(JsonNode p) {
        String address = address(p, 0);
        long number = stateBlock(p.path(1));
        return number == PENDING ? chain.pendingAccount(address) : chain.block(number).orElseThrow().account(address);
    }

    /** The block number a state query reads, or {@link #PENDING}; the block must exist. */
    private long stateBlock(JsonNode tag) {
        if (tag instanceof ObjectNode o && o.has("blockHash")) {
            String hash = o.get("blockHash").asText();
            return chain.blockByHash(hash).map(SimBlock::number)
                    .orElseThrow(() -> new RpcError(RpcError.SERVER_ERROR, "header for hash not found"));
        }
        long number = blockNumber(tag);
        if (number != PENDING && chain.block(number).isEmpty()) {
            throw new RpcError(RpcError.SERVER_ERROR, "header not found");
        }
        return number;
    }

    private long blockNumber(JsonNode tag) {
        if (tag instanceof ObjectNode o && o.has("blockNumber")) {
            return blockNumber(o.get("blockNumber"));
        }
        String t = tag.isMissingNode() || tag.isNull() ? "latest" : tag.asText();
        return switch (t) {
            case "latest" -> chain.head().number();
            case "earliest" -> 0;
            case "pending" -> PENDING;
            case "safe", "finalized" -> chain.finalizedNumber();
            default -> {
                if (!t.matches("0x[0-9a-fA-F]{1,16}")) {
                    throw new RpcError(RpcError.INVALID_PARAMS, "invalid block tag: " + tag);
                }
                BigInteger n = new BigInteger(t.substring(2), 16);
                yield n.bitLength() < 63 ? n.longValue() : Long.MAX_VALUE;
            }
        };
    }

    private static String address(JsonNode p, int index) {
        String a = p.path(index).asText("");
        if (!ADDRESS.matcher(a).matches()) {
            throw new RpcError(RpcError.INVALID_PARAMS, "invalid address at params[" + index + "]: " + p.path(index));
        }
        return a.toLowerCase(Locale.ROOT);
    }

    private static String hash(JsonNode p, int index) {
        String h = p.path(index).asText("");
        if (!HASH.matcher(h).matches()) {
            throw new RpcError(RpcError.INVALID_PARAMS, "invalid hash at params[" + index + "]: " + p.path(index));
        }
        return h.toLowerCase(Locale.ROOT);
    }

    private static String rawTransaction(JsonNode p) {
        String raw = p.path(0).asText("");
        if (!raw.matches("0x([0-9a-fA-F]{2})+")) {
            throw new RpcError(RpcError.INVALID_PARAMS, "invalid raw transaction at params[0]");
        }
        return raw;
    }

    private static JsonNode text(String value) {
        return TextNode.valueOf(value);
    }

    private static ObjectNode error(JsonNode id, RpcError e) {
        ObjectNode o = MAPPER.createObjectNode().put("jsonrpc", "2.0");
        o.set("id", id);
        o.putObject("error").put("code", e.code()).put("message", e.getMessage());
        return o;
    }
}
