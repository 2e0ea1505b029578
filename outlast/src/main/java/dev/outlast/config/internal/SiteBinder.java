package dev.outlast.config.internal;

import dev.outlast.config.HealthCheckConfig;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.SiteConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds {@code sites}: each site, its origins and its health check. Site ids and hosts are unique
 * in the file; origin names and URLs are unique within their site.
 */
final class SiteBinder {

    static final String SITES = "a list of sites";

    private static final List<String> KEYS = List.of("id", "host", "origins", "healthCheck", "responseTimeout",
            "staleIfError", "staleWhileRevalidate", "retryBufferBytes", "cacheBytes");
    private static final List<String> ORIGIN_KEYS = List.of("name", "url", "vendor");
    private static final List<String> CHECK_KEYS = List.of("path", "interval", "timeout", "expectedStatus");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String ID_EXPECTED = "a site id matching [a-z0-9][a-z0-9-]{0,62}";
    private static final Pattern HOST = Pattern.compile(
            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final String HOST_EXPECTED = "a host name such as app.example.com, without scheme or port";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final String NAME_EXPECTED = "a name matching [A-Za-z0-9][A-Za-z0-9_.-]{0,62}";
    private static final String ORIGINS = "a list of origins";
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]*");

    private SiteBinder() {
    }

    static Optional<List<SiteConfig>> bindAll(Node node) {
        Uniques seen = new Uniques("unique");
        return node.eachMapping(SITES, "at least one site", null, KEYS, "a site, a mapping with id, host and origins",
                (element, mapping) -> bind(element, mapping, seen));
    }

    private static Optional<SiteConfig> bind(Node node, Mapping mapping, Uniques seen) {
        int errors = node.problems().errorCount();
        String id = null;
        String host = null;
        List<OriginConfig> origins = List.of();
        HealthCheckConfig check = HealthCheckConfig.DEFAULT;
        Duration responseTimeout = SiteConfig.DEFAULT_RESPONSE_TIMEOUT;
        Duration staleIfError = SiteConfig.DEFAULT_STALE_IF_ERROR;
        Duration staleWhileRevalidate = SiteConfig.DEFAULT_STALE_WHILE_REVALIDATE;
        long retryBufferBytes = SiteConfig.DEFAULT_RETRY_BUFFER_BYTES;
        long cacheBytes = SiteConfig.DEFAULT_CACHE_BYTES;
        for (Node value : mapping) {
            switch (value.key()) {
                case "id" -> id = value.matching(ID, ID_EXPECTED)
                                       .filter(text -> seen.first(node, value, text))
                                       .orElse(null);
                case "host" -> host = value.matching(HOST, HOST_EXPECTED)
                                           .map(text -> text.toLowerCase(Locale.ROOT))
                                           .filter(text -> seen.first(node, value, text))
                                           .orElse(null);
                case "origins" -> origins = bindOrigins(value).orElse(origins);
                case "healthCheck" -> check = bindCheck(value).orElse(check);
                case "responseTimeout" -> responseTimeout = value.duration(true).orElse(responseTimeout);
                case "staleIfError" -> staleIfError = value.duration(false).orElse(staleIfError);
                case "staleWhileRevalidate" -> staleWhileRevalidate =
                        value.duration(false).orElse(staleWhileRevalidate);
                case "retryBufferBytes" -> retryBufferBytes =
                        value.integer(0, Integer.MAX_VALUE, "a non-negative integer").orElse(retryBufferBytes);
                case "cacheBytes" -> cacheBytes =
                        value.integer(0, Long.MAX_VALUE, "a non-negative integer").orElse(cacheBytes);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.require("id", ID_EXPECTED);
        mapping.require("host", HOST_EXPECTED);
        mapping.require("origins", ORIGINS);
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SiteConfig(id, host, origins, check, responseTimeout, staleIfError,
                                              staleWhileRevalidate, retryBufferBytes, cacheBytes));
        } catch (IllegalArgumentException e) {
            node.error(e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<List<OriginConfig>> bindOrigins(Node node) {
        Uniques seen = new Uniques("unique within the site");
        return node.eachMapping(ORIGINS, "at least one origin",
                "only one origin (failover has nowhere to go; only stale copies can cover an outage)",
                ORIGIN_KEYS, "an origin, a mapping with name and url",
                (element, mapping) -> bindOrigin(element, mapping, seen));
    }

    private static Optional<OriginConfig> bindOrigin(Node node, Mapping mapping, Uniques seen) {
        String name = null;
        URI url = null;
        String vendor = null;
        for (Node value : mapping) {
            switch (value.key()) {
                case "vendor" -> vendor = value.as(VendorLabels.EXPECTED, VendorLabels::label).orElse(null);
                case "name" -> name = value.matching(NAME, NAME_EXPECTED)
                                           .filter(text -> seen.first(node, value, text))
                                           .orElse(null);
                case "url" -> url = value.as(Values.URL, SiteBinder::originUrl)
                                         .filter(uri -> seen.first(node, value, uri.toString()))
                                         .orElse(null);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.require("name", NAME_EXPECTED);
        mapping.require("url", Values.URL);
        return name == null || url == null ? Optional.empty() : Optional.of(new OriginConfig(name, url, vendor));
    }

    /** An http(s) URL without query or fragment: the request's path and query are appended to it. */
    private static URI originUrl(String text) {
        URI uri = Values.url(text);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new BadValue("http or https URL without query or fragment");
        }
        return uri;
    }

    private static Optional<HealthCheckConfig> bindCheck(Node node) {
        Optional<Mapping> mapping = node.mapping(CHECK_KEYS, "a mapping with path, interval, timeout, expectedStatus");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        String path = HealthCheckConfig.DEFAULT_PATH;
        Duration interval = HealthCheckConfig.DEFAULT_INTERVAL;
        Duration timeout = HealthCheckConfig.DEFAULT_TIMEOUT;
        int expected = 0;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "path" -> path = value.matching(PATH, "a path starting with /").orElse(path);
                case "interval" -> interval = value.duration(true).orElse(interval);
                case "timeout" -> timeout = value.duration(true).orElse(timeout);
                case "expectedStatus" -> expected =
                        value.integer(100, 599, "an HTTP status code 100..599").map(Long::intValue).orElse(expected);
                default -> throw new AssertionError(value.key());
            }
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(new HealthCheckConfig(path, interval, timeout, expected));
    }
}
