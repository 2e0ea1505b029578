package dev.outlast.attribution;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How each vendor writes its edge location into a response. Each returns {@code null} when absent. */
final class Locations {

    private static final Pattern IATA_SUFFIX = Pattern.compile(".*-([A-Za-z]{3})$");
    private static final Pattern FASTLY_NODE = Pattern.compile("cache-([a-z]{3})[-a-z0-9]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern VERCEL_REGION = Pattern.compile("[a-z]{3}\\d+");

    private Locations() {
    }

    static String none(Response r) {
        return null;
    }

    /** {@code cf-ray: 8d1f2c3b4a5e6f70-FRA} → {@code FRA}. */
    static String cfRay(Response r) {
        Matcher m = IATA_SUFFIX.matcher(r.header("cf-ray"));
        return m.matches() ? m.group(1).toUpperCase(Locale.ROOT) : null;
    }

    /** {@code x-amz-cf-pop: FRA56-P1} as it is. */
    static String cloudFrontPop(Response r) {
        String pop = r.header("x-amz-cf-pop");
        int comma = pop.indexOf(',');
        return pop.isEmpty() ? null : (comma < 0 ? pop : pop.substring(0, comma)).trim();
    }

    /**
     * The delivery node, the last entry of {@code x-served-by} (earlier ones are shields):
     * {@code cache-fra-etou8220154-FRA} → {@code FRA}; without the suffix, the data centre in the
     * node name, upper-cased.
     */
    static String fastly(Response r) {
        String servedBy = r.header("x-served-by");
        String last = servedBy.substring(servedBy.lastIndexOf(',') + 1).trim();
        Matcher suffix = IATA_SUFFIX.matcher(last);
        if (suffix.matches()) {
            return suffix.group(1).toUpperCase(Locale.ROOT);
        }
        Matcher node = FASTLY_NODE.matcher(last);
        return node.matches() ? node.group(1).toUpperCase(Locale.ROOT) : null;
    }

    /** {@code x-vercel-id: fra1::iad1::…} → {@code fra1}, the edge region that took the request. */
    static String vercel(Response r) {
        String id = r.header("x-vercel-id");
        int sep = id.indexOf("::");
        String first = sep < 0 ? "" : id.substring(0, sep).trim();
        return VERCEL_REGION.matcher(first).matches() ? first : null;
    }
}
