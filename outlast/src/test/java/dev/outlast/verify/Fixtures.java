package dev.outlast.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Recorded ganache responses under {@code src/test/resources/verify/} (see the README there). */
final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    static ObjectNode load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/verify/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] stateRoot() {
        return bytes(load("block.json").get("stateRoot").asText());
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.substring(2));
    }

    static List<byte[]> nodes(JsonNode array) {
        List<byte[]> nodes = new ArrayList<>();
        array.forEach(n -> nodes.add(bytes(n.asText())));
        return nodes;
    }

    /** Returns {@code hex} with one bit of byte {@code index} (counted after "0x") flipped. */
    static String flipByte(String hex, int index) {
        byte[] b = bytes(hex);
        b[index] ^= 0x01;
        return "0x" + HexFormat.of().formatHex(b);
    }

    static void flipProofByte(ArrayNode proof, int node, int index) {
        String flipped = flipByte(proof.get(node).asText(), index);
        proof.set(node, proof.textNode(flipped));
    }
}
