package dev.outlast.monitor;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import java.time.Instant;
import java.util.List;

/**
 * What the monitor knows about one subject at one moment, for the API and the status page.
 *
 * @param shortErrorRatio failures / calls over the short window
 * @param longErrorRatio  failures / calls over the long window
 * @param burnRate        the short window's error ratio divided by the error budget
 * @param latencyMs       mean latency of recent successes, -1 when unknown
 * @param source          while failing: whether the attributed vendor's edge or the origin behind it
 *                        generated the failures, {@link Source#UNKNOWN} when not known
 */
public record SubjectView(Subject subject, Health health, String reason, Instant since, Vendor vendor,
                          List<String> locations, long calls, long failures, double shortErrorRatio,
                          double longErrorRatio, double burnRate, double latencyMs, Source source) {
}
