package dev.outlast.monitor;

import dev.outlast.attribution.Vendor;
import dev.outlast.upstream.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One outcome for a subject: a call that succeeded, or one that failed, with the vendor and edge
 * location attribution found in the failed response.
 *
 * @param ok        whether it succeeded
 * @param failure   the failure's stable word ({@code vendor_page}, {@code timeout}, {@code condition}, …),
 *                  {@code null} when ok
 * @param detail    short redacted words about the failure, {@code null} when ok
 * @param vendor    the attributed vendor, {@link Vendor#UNKNOWN} when none
 * @param location  the vendor's edge location, or {@code null}
 * @param latencyMs how long it took
 */
public record Observation(boolean ok, String failure, String detail, Vendor vendor, String location,
                          double latencyMs) {

    /** The detail {@code Upstream} writes for a vendor error page: {@code cloudflare 522 at FRA}. */
    private static final Pattern VENDOR_DETAIL = Pattern.compile("([a-z-]+) (\\d{3})(?: at (\\S+))?");

    public static Observation success(double latencyMs) {
        return new Observation(true, null, null, Vendor.UNKNOWN, null, latencyMs);
    }

    public static Observation failure(String failure, String detail, Vendor vendor, String location,
                                      double latencyMs) {
        return new Observation(false, failure, detail, vendor == null ? Vendor.UNKNOWN : vendor, location, latencyMs);
    }

    /**
     * What one upstream reply says about its upstream. A deterministic JSON-RPC error is an answer,
     * so it counts as a success; a rate limit counts as a failure (users see it).
     */
    public static Observation of(UpstreamReply reply) {
        double ms = reply.latencyNanos() / 1e6;
        if (reply.isAnswer()) {
            return success(ms);
        }
        Vendor vendor = Vendor.UNKNOWN;
        String location = null;
        if (reply.failure() == FailureKind.VENDOR_PAGE && reply.detail() != null) {
            Matcher m = VENDOR_DETAIL.matcher(reply.detail());
            if (m.matches()) {
                vendor = vendorOf(m.group(1));
                location = m.group(3);
            }
        }
        return failure(reply.failure().label(), reply.detail(), vendor, location, ms);
    }

    /** The vendor with this label, {@link Vendor#UNKNOWN} when none has it. */
    public static Vendor vendorOf(String label) {
        for (Vendor v : Vendor.values()) {
            if (v.label().equalsIgnoreCase(label)) {
                return v;
            }
        }
        return Vendor.UNKNOWN;
    }
}
