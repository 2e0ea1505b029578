package dev.outlast.frontdoor;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.monitor.Observation;
import java.util.Locale;
import java.util.Objects;

/**
 * What one probe of a CDN path found.
 *
 * @param verdict   whose fault a failure is
 * @param failure   the monitor's failure word ({@code vendor_page}, {@code http_status}, {@code connect},
 *                  {@code tls}, {@code timeout}), {@code null} when it passed
 * @param detail    short words: {@code HTTP 522, Cloudflare (edge) at FRA}, {@code connection refused},
 *                  {@code HTTP 200}
 * @param vendor    the vendor attribution found in a failed response, {@link Vendor#UNKNOWN} otherwise
 * @param source    who generated that response, {@link Source#UNKNOWN} when not known
 * @param location  the vendor's edge location, or {@code null}
 * @param latencyMs how long the probe took
 *
 * <p>Thread-safe (immutable).
 */
public record ProbeResult(PathVerdict verdict, String failure, String detail, Vendor vendor, Source source,
                          String location, double latencyMs) {

    public ProbeResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
        vendor = vendor == null ? Vendor.UNKNOWN : vendor;
        source = source == null ? Source.UNKNOWN : source;
    }

    /** A probe that got a 2xx. */
    public static ProbeResult pass(int status, double latencyMs) {
        return new ProbeResult(PathVerdict.PASS, null, "HTTP " + status, Vendor.UNKNOWN, Source.UNKNOWN, null,
                latencyMs);
    }

    /** A probe whose connection, TLS handshake or deadline failed: the path's fault. */
    public static ProbeResult unreachable(String failure, String detail, double latencyMs) {
        return new ProbeResult(PathVerdict.PATH, failure, detail, Vendor.UNKNOWN, Source.UNKNOWN, null, latencyMs);
    }

    /** The monitor's view of this result. */
    public Observation observation() {
        return verdict == PathVerdict.PASS ? Observation.success(latencyMs)
                : Observation.failure(failure, detail, vendor, source, location, latencyMs);
    }

    /** {@code HTTP 522, Cloudflare (edge) at FRA (40 ms)}. */
    public String words() {
        return detail + String.format(Locale.ROOT, " (%.0f ms)", latencyMs);
    }
}
