package dev.outlast.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A block parameter as a client wrote it: a tag, a number, a hash (EIP-1898), missing, or
 * something Outlast does not understand (left for the upstream to reject).
 */
public sealed interface BlockParam {

    /** {@code latest}, {@code pending}, {@code safe}, {@code finalized} or {@code earliest}. */
    record Tag(String name) implements BlockParam {
    }

    /** A concrete block number. */
    record Number(long value) implements BlockParam {
    }

    /** An EIP-1898 {@code {"blockHash": ...}} reference. */
    record Hash(String hash) implements BlockParam {
    }

    /** The parameter is absent: the method's default, which is {@code latest}. */
    record Missing() implements BlockParam {
    }

    /** Not a block reference Outlast understands; passed through unchanged. */
    record Other() implements BlockParam {
    }

    /** Reads a block parameter; {@code node} may be null when it is absent. */
    static BlockParam of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Missing();
        }
        if (node.isTextual()) {
            String text = node.textValue();
            return switch (text) {
                case "latest", "pending", "safe", "finalized", "earliest" -> new Tag(text);
                default -> Quantity.parse(text).<BlockParam>map(Number::new).orElseGet(Other::new);
            };
        }
        if (node.isObject()) {
            JsonNode hash = node.get("blockHash");
            if (hash != null && hash.isTextual()) {
                return new Hash(hash.textValue());
            }
            JsonNode number = node.get("blockNumber");
            if (number != null) {
                BlockParam inner = of(number);
                return inner instanceof Missing ? new Other() : inner;
            }
        }
        return new Other();
    }
}
