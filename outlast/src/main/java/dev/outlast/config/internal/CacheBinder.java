package dev.outlast.config.internal;

import dev.outlast.config.CacheConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binds the top-level {@code cache} mapping and its {@code redis} part. */
final class CacheBinder {

    private static final List<String> KEYS = List.of("enabled", "maxSize", "reorgHorizon", "redis");
    private static final List<String> REDIS_KEYS = List.of("url", "timeout", "ttl");
    static final String SIZE = "a size such as 256MiB, 1GiB or a number of bytes";
    private static final Pattern SIZE_FORM = Pattern.compile("(\\d{1,15})\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

    private CacheBinder() {
    }

    static Optional<CacheConfig> bind(Node node) {
        Optional<Mapping> mapping = node.mapping(KEYS, "a mapping");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        boolean enabled = CacheConfig.DEFAULT.enabled();
        long maxBytes = CacheConfig.DEFAULT_MAX_BYTES;
        long horizon = CacheConfig.DEFAULT_REORG_HORIZON;
        CacheConfig.Redis redis = null;
        boolean maxBytesSet = false;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "enabled" -> enabled = value.bool().orElse(enabled);
                case "maxSize" -> {
                    maxBytes = value.as(SIZE, CacheBinder::size).orElse(maxBytes);
                    maxBytesSet = true;
                }
                case "reorgHorizon" -> horizon = value.integer(1, 1_000_000, "a number of blocks >= 1").orElse(horizon);
                case "redis" -> redis = bindRedis(value).orElse(null);
                default -> throw new AssertionError(value.key());
            }
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(new CacheConfig(enabled, maxBytes, horizon, redis, maxBytesSet));
    }

    private static Optional<CacheConfig.Redis> bindRedis(Node node) {
        Optional<Mapping> mapping = node.mapping(REDIS_KEYS, "a mapping with url");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        URI url = null;
        Duration timeout = CacheConfig.Redis.DEFAULT_TIMEOUT;
        Duration ttl = CacheConfig.Redis.DEFAULT_TTL;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "url" -> url = value.as("redis:// or rediss:// URL", CacheBinder::redisUrl).orElse(null);
                case "timeout" -> timeout = value.duration(true).orElse(timeout);
                case "ttl" -> ttl = value.duration(true).orElse(ttl);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.get().require("url", "redis:// or rediss:// URL");
        return url == null ? Optional.empty() : Optional.of(new CacheConfig.Redis(url, timeout, ttl));
    }

    static long size(String text) {
        Matcher m = SIZE_FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new BadValue(SIZE);
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1024L;
            case "MiB" -> 1024L * 1024;
            case "GiB" -> 1024L * 1024 * 1024;
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            default -> 1L;
        };
        if (n < 1 || n > Long.MAX_VALUE / unit) {
            throw new BadValue(SIZE);
        }
        return n * unit;
    }

    private static URI redisUrl(String text) {
        try {
            URI uri = new URI(text);
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through to the error below
        }
        throw new BadValue("redis:// or rediss:// URL");
    }
}
