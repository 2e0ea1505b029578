package dev.outlast.routing.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.config.VerifyConfig;
import dev.outlast.config.VerifyMode;
import dev.outlast.routing.RpcOutcome;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcResponse;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The chain's {@code verify} policy applied to one balance, nonce, code or storage read.
 *
 * <h2>Implementation note</h2>
 * Only reads pinned to a block number are proven (not {@code pending}, not EIP-1898 objects); the
 * others, and every read under {@code verify: consensus}, return null from {@link #start} and
 * follow the chain's ordinary consensus path. {@code auto} proves when {@link ProofSupport} knows a
 * usable upstream that serves {@code eth_getProof}, and otherwise behaves as {@code consensus}.
 * {@code proofs} serves the proven value ({@link ProofRead}). {@code both} runs the proof and a
 * consensus read of the method at once and serves only when both succeed with the same value
 * (compared as numbers, or as bytes for code): a difference is {@code no_quorum} with both values
 * in {@code error.data}; nobody is quarantined for it, since it takes {@code minAgree} upstreams
 * agreeing against a proof. With {@code allowUnverified}, a read whose proof failed
 * ({@code proof_unavailable} or {@code proof_invalid}) is served from consensus instead, marked
 * {@code X-Outlast-Verified: none}; when consensus fails too, the proof's error is returned.
 *
 * <p>Stateless; thread-safe.
 */
final class VerifiedRead {

    /** The {@code X-Outlast-Verified} value of an answer served unverified under {@code allowUnverified}. */
    static final String UNVERIFIED = "none";

    private VerifiedRead() {}

    /**
     * The verified read of {@code method}, or null when the chain's policy leaves it to consensus.
     *
     * @param params  the params as sent upstream (pinned)
     * @param minHead the block upstreams must have (-1: any)
     * @param pinned  true when the request names one concrete block
     */
    static CompletableFuture<RpcOutcome> start(RoutedReads reads, ProofSupport support, StateRoots roots,
                                               String method, JsonNode params, long minHead, boolean pinned) {
        VerifyConfig verify = reads.chain().config().verify();
        if (verify.mode() == VerifyMode.CONSENSUS || !ProofRead.METHODS.contains(method) || !pinned
                || !(params instanceof ArrayNode array) || minHead < 0 || array.get(0) == null) {
            return null;
        }
        JsonNode tag = array.get(method.equals("eth_getStorageAt") ? 2 : 1);
        Optional<Long> block = tag != null && tag.isTextual() ? Quantity.parse(tag.textValue()) : Optional.empty();
        if (block.isEmpty()) {
            return null;
        }
        if (verify.mode() == VerifyMode.AUTO && !support.anyUsableSupports(reads.chain().upstreams())) {
            return null;
        }
        CompletableFuture<RpcOutcome> proven = new ProofRead(reads, support, roots, method, array, block.get()).start();
        if (verify.mode() == VerifyMode.BOTH) {
            CompletableFuture<RpcOutcome> agreed = reads.consensus(method, params, minHead, pinned);
            return proven.thenCombine(agreed, (p, c) -> both(reads.chain().id(), method, verify, p, c));
        }
        return unverifiedIfAllowed(verify, proven, () -> reads.consensus(method, params, minHead, pinned));
    }

    /**
     * {@code proven}, or under {@code allowUnverified}, when it failed for want of a proof, the answer
     * of {@code fallback} marked {@link #UNVERIFIED} (the proof's error if that fails too). Null
     * {@code proven} (nothing to prove) stays null.
     */
    static CompletableFuture<RpcOutcome> unverifiedIfAllowed(
            VerifyConfig verify, CompletableFuture<RpcOutcome> proven,
            java.util.function.Supplier<CompletableFuture<RpcOutcome>> fallback) {
        if (proven == null || !verify.allowUnverified()) {
            return proven;
        }
        return proven.thenCompose(p -> !isProofError(p) ? CompletableFuture.completedFuture(p)
                : fallback.get().thenApply(c -> c.response().isError() ? p : unverified(c)));
    }

    private static RpcOutcome both(String chain, String method, VerifyConfig verify, RpcOutcome proof,
                                   RpcOutcome consensus) {
        if (proof.response().isError()) {
            return verify.allowUnverified() && isProofError(proof) && !consensus.response().isError()
                    ? unverified(consensus) : proof;
        }
        if (consensus.response().isError()) {
            return consensus;
        }
        JsonNode proven = proof.response().result();
        JsonNode agreed = consensus.response().result();
        if (same(method, proven, agreed)) {
            Set<String> upstreams = new LinkedHashSet<>(proof.upstreams());
            upstreams.addAll(consensus.upstreams());
            return new RpcOutcome(proof.response(), List.copyOf(upstreams), consensus.consensus(), "ok",
                    proof.verified());
        }
        ObjectNode error = RpcErrors.of(OutlastError.NO_QUORUM, "The value " + consensus.consensus()
                + " upstreams agreed on for " + method + " differs from the proven one");
        RpcErrors.data(error).put("chain", chain).put("policy", "verify: both").put("proven", proven.asText())
                .put("agreed", agreed == null ? "null" : agreed.toString());
        return new RpcOutcome(RpcResponse.error(error), List.of(), null, OutlastError.NO_QUORUM.reason());
    }

    static boolean isProofError(RpcOutcome outcome) {
        return outcome.response().isError()
                && (OutlastError.PROOF_UNAVAILABLE.reason().equals(outcome.outcome())
                        || OutlastError.PROOF_INVALID.reason().equals(outcome.outcome()));
    }

    private static RpcOutcome unverified(RpcOutcome consensus) {
        return new RpcOutcome(consensus.response(), consensus.upstreams(), consensus.consensus(), consensus.outcome(),
                UNVERIFIED, consensus.cache());
    }

    /** Equal values: code compared as bytes, the rest as numbers (providers pad storage words or not). */
    private static boolean same(String method, JsonNode proven, JsonNode agreed) {
        if (agreed == null || !agreed.isTextual() || !proven.isTextual()) {
            return false;
        }
        String a = proven.textValue().toLowerCase(Locale.ROOT);
        String b = agreed.textValue().toLowerCase(Locale.ROOT);
        if (method.equals("eth_getCode")) {
            return a.equals(b);
        }
        return number(a).isPresent() && number(a).equals(number(b));
    }

    private static Optional<BigInteger> number(String hex) {
        if (!hex.startsWith("0x")) {
            return Optional.empty();
        }
        try {
            return Optional.of(hex.length() == 2 ? BigInteger.ZERO : new BigInteger(hex.substring(2), 16));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
