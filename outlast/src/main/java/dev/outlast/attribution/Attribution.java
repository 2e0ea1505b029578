package dev.outlast.attribution;

import java.util.Objects;

/**
 * What {@link Attributor} concluded about one response.
 *
 * @param vendor    the edge vendor that served the response, {@link Vendor#UNKNOWN} when none is recognised
 * @param source    whether the vendor generated the error or passed the origin's through
 * @param location  the vendor's edge location as the vendor writes it ({@code FRA}, {@code FRA56-P1},
 *                  {@code fra1}), or {@code null} when the response does not carry one
 * @param signature short human words for the rule that matched, e.g. {@code cf-ray + 522 error page}
 */
public record Attribution(Vendor vendor, Source source, String location, String signature) {

    /** The answer for a response that carries no known vendor signature. */
    public static final Attribution UNKNOWN =
            new Attribution(Vendor.UNKNOWN, Source.UNKNOWN, null, "no vendor signature");

    public Attribution {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(signature, "signature");
    }

    /** Whether a vendor was recognised. */
    public boolean known() {
        return vendor != Vendor.UNKNOWN;
    }
}
