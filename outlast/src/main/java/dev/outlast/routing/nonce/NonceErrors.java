package dev.outlast.routing.nonce;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** How nodes word a refusal because a transaction's nonce is already used. Stateless. */
public final class NonceErrors {

    private static final List<String> USED = List.of("nonce too low", "correct nonce", "nonce has already");

    private NonceErrors() {
    }

    /** True when {@code error} (a JSON-RPC error object) says the nonce is already used. */
    public static boolean nonceUsed(JsonNode error) {
        String message = error == null ? "" : error.path("message").asText("").toLowerCase(Locale.ROOT);
        return USED.stream().anyMatch(message::contains);
    }
}
