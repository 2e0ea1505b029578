package dev.outlast.config.internal;

import dev.outlast.attribution.Vendor;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses a {@code vendor:} value: one of the vendor labels attribution knows, case-insensitive. */
final class VendorLabels {

    /** What a {@code vendor:} value must be, listing every known label. */
    static final String EXPECTED = "a vendor attribution knows: " + Arrays.stream(Vendor.values())
            .filter(v -> v != Vendor.UNKNOWN).map(Vendor::label).collect(Collectors.joining(", "));

    private VendorLabels() {
    }

    /** The label in its canonical lower-case form; throws {@link BadValue} for an unknown vendor. */
    static String label(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        for (Vendor v : Vendor.values()) {
            if (v != Vendor.UNKNOWN && v.label().equals(lower)) {
                return v.label();
            }
        }
        throw new BadValue(EXPECTED);
    }
}
