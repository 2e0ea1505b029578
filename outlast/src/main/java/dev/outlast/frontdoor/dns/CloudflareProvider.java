package dev.outlast.frontdoor.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.DnsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a front door's record through Cloudflare's DNS records API (v4) with an API token, and reads it
 * back with the same API's list call.
 *
 * <p>A write lists the name's records, then sends one batch ({@code POST /zones/{zone_id}/dns_records/batch},
 * which Cloudflare applies in one transaction) that deletes the {@code CNAME}, {@code A} and {@code AAAA}
 * records not wanted, patches the wanted ones whose TTL or proxying differ, and creates the missing ones, so
 * that exactly the wanted set exists, DNS-only ({@code proxied: false}) with the TTL in seconds. Nothing is sent
 * when the set is already there. One batch rather than one call per record: a name never goes without a record
 * between a delete and a create, and a refused change leaves the name as it was.
 *
 * <p>A read lists the name's records and returns its {@code CNAME}, else its {@code A}, else its {@code AAAA}
 * records; Cloudflare's automatic TTL ({@code 1}) reads as its 300 seconds. Errors are the HTTP status and
 * Cloudflare's own {@code errors[].message} and {@code code}.
 *
 * <p>Thread-safe; never blocks.
 */
public final class CloudflareProvider implements DnsProvider {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://api.cloudflare.com/client/v4");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** What Cloudflare's automatic TTL ({@code ttl: 1}) stands for. */
    static final Duration AUTOMATIC_TTL = Duration.ofSeconds(300);


    private final DnsConfig.Cloudflare config;
    private final String description;
    private final CloudflareApi api;

    public CloudflareProvider(DnsConfig.Cloudflare config, ClientFactory factory, Duration timeout) {
        this.config = config;
        URI endpoint = config.endpoint() == null ? DEFAULT_ENDPOINT : config.endpoint();
        this.description = "cloudflare zone " + config.zoneId() + " (" + config.zone() + ")"
                           + (config.endpoint() == null ? "" : " at " + endpoint.getHost());
        this.api = new CloudflareApi(endpoint, config.zoneId(), config.token(), factory, timeout, description);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String zone() {
        return config.zone();
    }

    @Override
    public CompletableFuture<Void> write(RecordSet records) {
        List<String> wanted;
        try {
            wanted = records.values().stream().map(v -> WireRecords.canonical(records.type(), v)).toList();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new DnsProviderException(description, e.getMessage()));
        }
        String hostname = WireRecords.hostname(records.hostname());
        return api.list(hostname).thenCompose(existing -> {
            ObjectNode batch = plan(hostname, records.type(), wanted, records.ttl().toSeconds(), existing);
            return batch.isEmpty() ? CompletableFuture.completedFuture(null) : api.batch(batch).thenAccept(r -> { });
        });
    }

    /** The batch that leaves exactly {@code wanted} of {@code type} among the name's steered records. */
    static ObjectNode plan(String hostname, RecordSet.Type type, List<String> wanted, long ttl, List<JsonNode> existing) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ArrayNode deletes = nodes.arrayNode();
        ArrayNode patches = nodes.arrayNode();
        ArrayNode posts = nodes.arrayNode();
        Set<String> missing = new LinkedHashSet<>(wanted);
        for (JsonNode record : steered(hostname, existing)) {
            String content = content(record);
            if (record.path("type").asText().equals(type.name()) && missing.remove(content)) {
                if (record.path("ttl").asLong() != ttl || record.path("proxied").asBoolean(false)) {
                    patches.add(record(hostname, type, content, ttl).put("id", record.path("id").asText()));
                }
            } else {
                deletes.add(nodes.objectNode().put("id", record.path("id").asText()));
            }
        }
        missing.forEach(content -> posts.add(record(hostname, type, content, ttl)));
        ObjectNode batch = nodes.objectNode();
        if (!deletes.isEmpty()) {
            batch.set("deletes", deletes);
        }
        if (!patches.isEmpty()) {
            batch.set("patches", patches);
        }
        if (!posts.isEmpty()) {
            batch.set("posts", posts);
        }
        return batch;
    }

    private static ObjectNode record(String hostname, RecordSet.Type type, String content, long ttl) {
        return JsonNodeFactory.instance.objectNode().put("type", type.name()).put("name", hostname)
                .put("content", content).put("ttl", ttl).put("proxied", false);
    }

    @Override
    public CompletableFuture<Optional<RecordSet>> read(String hostname) {
        String name = WireRecords.hostname(hostname);
        return api.list(name).thenApply(existing -> {
            List<JsonNode> steered = steered(name, existing);
            for (RecordSet.Type type : WireRecords.READ_ORDER) {
                List<String> values = new ArrayList<>();
                long ttl = Long.MAX_VALUE;
                for (JsonNode record : steered) {
                    if (record.path("type").asText().equals(type.name())) {
                        values.add(content(record));
                        long seconds = record.path("ttl").asLong(1);
                        ttl = Math.min(ttl, seconds);
                    }
                }
                if (!values.isEmpty()) {
                    values.sort(null);
                    Duration duration = ttl <= 1 ? AUTOMATIC_TTL : Duration.ofSeconds(ttl);
                    return Optional.of(new RecordSet(name, type, values, duration));
                }
            }
            return Optional.empty();
        });
    }

    /** The name's {@code CNAME}, {@code A} and {@code AAAA} records among what the list call returned. */
    private static List<JsonNode> steered(String hostname, List<JsonNode> existing) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode record : existing) {
            String type = record.path("type").asText();
            boolean ours = type.equals("CNAME") || type.equals("A") || type.equals("AAAA");
            if (ours && WireRecords.hostname(record.path("name").asText()).equals(hostname)) {
                out.add(record);
            }
        }
        return out;
    }

    /** The record's content in the form {@link RecordSet} holds, as Cloudflare may write it differently. */
    private static String content(JsonNode record) {
        String content = record.path("content").asText();
        try {
            return WireRecords.canonical(RecordSet.Type.valueOf(record.path("type").asText()), content);
        } catch (IllegalArgumentException e) {
            return content.toLowerCase(Locale.ROOT);
        }
    }
}
