package dev.outlast.config;

import java.util.Objects;

/**
 * How a chain verifies balances, nonces, code and storage slots. YAML: {@code verify: proofs} (the
 * mode alone) or {@code verify: {mode: proofs, allowUnverified: true}}; absent means {@link #DEFAULT}.
 *
 * @param mode            {@link VerifyMode#AUTO} by default
 * @param allowUnverified when no verified answer can be had (no agreed header, no proof, every
 *                        proof wrong), serve the consensus answer marked {@code X-Outlast-Verified:
 *                        none} instead of {@code proof_unavailable} / {@code proof_invalid}; default
 *                        {@value #DEFAULT_ALLOW_UNVERIFIED}. Ignored by {@link VerifyMode#CONSENSUS}.
 */
public record VerifyConfig(VerifyMode mode, boolean allowUnverified) {

    public static final boolean DEFAULT_ALLOW_UNVERIFIED = false;
    public static final VerifyConfig DEFAULT = new VerifyConfig(VerifyMode.AUTO, DEFAULT_ALLOW_UNVERIFIED);

    public VerifyConfig {
        Objects.requireNonNull(mode, "mode");
    }

    /** {@code mode} without {@code allowUnverified}. */
    public static VerifyConfig of(VerifyMode mode) {
        return new VerifyConfig(mode, DEFAULT_ALLOW_UNVERIFIED);
    }
}
