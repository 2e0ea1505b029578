package dev.outlast.frontdoor.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.Server;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cloudflare's DNS records API (v4) as documented, for one zone, on a local port: the list call
 * ({@code GET /zones/{zone_id}/dns_records?name=}) and the batch call ({@code POST .../batch}, deletes, patches,
 * puts, posts in that order, all or nothing), the {@code {success, errors, messages, result}} envelope, a bearer
 * token, and the errors Cloudflare answers (10000 for a bad token, 81053 for a CNAME beside other records, 1004
 * with 9021 in its {@code error_chain} for a TTL under the plan's minimum).
 * Every request that strays from the documented shape is answered 400 and kept in {@link #violations()}.
 */
final class FakeCloudflare implements AutoCloseable {

    static final String ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";
    static final String TOKEN = "cf-test-token-0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("A", "AAAA", "CNAME", "TXT", "MX");
    private static final Set<String> BATCH_KEYS = Set.of("deletes", "patches", "puts", "posts");
    private static final Set<String> RECORD_KEYS = Set.of("id", "type", "name", "content", "ttl", "proxied",
                                                          "comment", "tags", "priority");

    private final Map<String, ObjectNode> records = new LinkedHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** The smallest TTL the zone takes: 30 on Enterprise plans, 60 on the others. */
    volatile int minimumTtl = 30;
    private final Server server;

    FakeCloudflare() {
        server = Server.builder().http(0).gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .serviceUnder("/client/v4", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(this::handle)))
                .build();
        server.start().join();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/client/v4");
    }

    /** Forgets every record, request and violation, and takes TTLs from 30 s again. */
    synchronized void reset() {
        records.clear();
        requests.clear();
        violations.clear();
        minimumTtl = 30;
    }

    /** {@code METHOD path} of every request, in order. */
    List<String> requests() {
        return requests;
    }

    List<String> violations() {
        return violations;
    }

    synchronized String add(String type, String name, String content, long ttl, boolean proxied) {
        String id = String.format("%032x", ids.incrementAndGet());
        records.put(id, JSON.createObjectNode().put("id", id).put("zone_id", ZONE_ID).put("zone_name", "example.com")
                .put("name", name).put("type", type).put("content", content).put("proxiable", true)
                .put("proxied", proxied).put("ttl", ttl).put("created_on", "2026-12-01T00:00:00Z")
                .put("modified_on", "2026-12-01T00:00:00Z"));
        return id;
    }

    /** {@code TYPE name content ttl}, sorted. */
    synchronized List<String> contents() {
        return records.values().stream().map(r -> r.path("type").asText() + " " + r.path("name").asText() + " "
                + r.path("content").asText() + " " + r.path("ttl").asText()
                + (r.path("proxied").asBoolean() ? " proxied" : "")).sorted().toList();
    }

    private synchronized HttpResponse handle(AggregatedHttpRequest request) {
        String path = request.path().replaceAll("\\?.*", "");
        requests.add(request.method() + " " + path);
        if (!("Bearer " + TOKEN).equals(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            return error(HttpStatus.FORBIDDEN, 10000, "Authentication error");
        }
        String list = "/client/v4/zones/" + ZONE_ID + "/dns_records";
        if (path.equals(list) && request.method() == HttpMethod.GET) {
            return list(QueryParams.fromQueryString(request.path().contains("?")
                    ? request.path().substring(request.path().indexOf('?') + 1) : ""));
        } else if (path.equals(list + "/batch") && request.method() == HttpMethod.POST) {
            MediaType type = request.contentType();
            if (type == null || !type.is(MediaType.JSON)) {
                return violation("batch without Content-Type: application/json: " + type);
            }
            try {
                return batch(JSON.readTree(request.contentUtf8()));
            } catch (IOException e) {
                return violation("batch body is not JSON: " + e.getMessage());
            }
        }
        return error(HttpStatus.NOT_FOUND, 7003, "Could not route to " + path
                     + ", perhaps your object identifier is invalid?");
    }

    private HttpResponse list(QueryParams params) {
        String name = params.get("name");
        int perPage = params.getInt("per_page", 100);
        if (name == null || perPage < 5 || perPage > 5_000) {
            return violation("list without name or with per_page " + perPage);
        }
        ArrayNode result = JSON.createArrayNode();
        records.values().stream().filter(r -> r.path("name").asText().equals(name)).forEach(result::add);
        ObjectNode envelope = success(result);
        envelope.putObject("result_info").put("page", 1).put("per_page", perPage).put("count", result.size())
                .put("total_count", result.size()).put("total_pages", 1);
        return json(HttpStatus.OK, envelope);
    }

    private HttpResponse batch(JsonNode body) {
        if (!body.isObject()) {
            return violation("batch body is not an object");
        }
        for (String key : iterable(body.fieldNames())) {
            if (!BATCH_KEYS.contains(key) || !body.get(key).isArray()) {
                return violation("batch key " + key);
            }
        }
        Map<String, ObjectNode> after = new LinkedHashMap<>();
        records.forEach((id, r) -> after.put(id, r.deepCopy()));
        ObjectNode result = JSON.createObjectNode();
        for (JsonNode delete : body.path("deletes")) {
            if (delete.size() != 1 || after.remove(delete.path("id").asText()) == null) {
                return violation("delete " + delete);
            }
            result.withArray("deletes").add(delete);
        }
        for (JsonNode patch : body.path("patches")) {
            ObjectNode existing = after.get(patch.path("id").asText());
            String problem = recordProblem(patch, false);
            if (existing == null || problem != null) {
                return violation("patch " + patch + (problem == null ? " of no record" : ": " + problem));
            }
            existing.setAll((ObjectNode) patch);
            result.withArray("patches").add(existing);
        }
        if (!body.path("puts").isEmpty()) {
            return violation("puts are not expected");
        }
        for (JsonNode post : body.path("posts")) {
            String problem = recordProblem(post, true);
            if (problem != null) {
                return violation("post " + post + ": " + problem);
            }
            long ttl = post.path("ttl").asLong(1);
            if (ttl != 1 && ttl < minimumTtl) {
                ObjectNode envelope = JSON.createObjectNode().put("success", false);
                envelope.putArray("errors").addObject().put("code", 1004).put("message", "DNS Validation Error")
                        .putArray("error_chain").addObject().put("code", 9021)
                        .put("message", "TTL must be between " + minimumTtl + " and 86400 seconds, or 1 for Automatic.");
                envelope.putArray("messages");
                envelope.putNull("result");
                return json(HttpStatus.BAD_REQUEST, envelope);
            }
            String id = String.format("%032x", ids.incrementAndGet());
            ObjectNode created = ((ObjectNode) post.deepCopy()).put("id", id).put("zone_id", ZONE_ID);
            after.put(id, created);
            result.withArray("posts").add(created);
        }
        for (ObjectNode record : after.values()) {
            String name = record.path("name").asText();
            boolean cname = record.path("type").asText().equals("CNAME");
            boolean clash = after.values().stream().anyMatch(other -> other != record
                    && other.path("name").asText().equals(name)
                    && (cname || other.path("type").asText().equals("CNAME")));
            if (clash) {
                return error(HttpStatus.BAD_REQUEST, 81053, "An A, AAAA, or CNAME record with that host already "
                             + "exists. For more details, refer to <https://developers.cloudflare.com/dns/manage-dns-"
                             + "records/troubleshooting/records-with-same-name/>.");
            }
        }
        records.clear();
        records.putAll(after);
        return json(HttpStatus.OK, success(result));
    }

    /** Null when {@code record} is a documented A, AAAA or CNAME record body (posts need every field). */
    private static String recordProblem(JsonNode record, boolean complete) {
        for (String key : iterable(record.fieldNames())) {
            if (!RECORD_KEYS.contains(key) || complete && key.equals("id")) {
                return "unexpected key " + key;
            }
        }
        if (!complete && !record.has("id")) {
            return "no id";
        }
        if (complete && !(record.has("type") && record.has("name") && record.has("content"))) {
            return "missing type, name or content";
        }
        if (record.has("type") && !TYPES.contains(record.path("type").asText())) {
            return "type " + record.path("type");
        }
        long ttl = record.path("ttl").asLong(1);
        if (record.has("ttl") && !record.get("ttl").isIntegralNumber() || ttl != 1 && (ttl < 30 || ttl > 86400)) {
            return "ttl " + record.path("ttl");
        }
        if (record.has("proxied") && !record.get("proxied").isBoolean()) {
            return "proxied " + record.path("proxied");
        }
        return null;
    }

    private HttpResponse violation(String what) {
        violations.add(what);
        return error(HttpStatus.BAD_REQUEST, 9000, "fake: " + what);
    }

    private static ObjectNode success(JsonNode result) {
        ObjectNode envelope = JSON.createObjectNode().put("success", true);
        envelope.putArray("errors");
        envelope.putArray("messages");
        envelope.set("result", result);
        return envelope;
    }

    private static HttpResponse error(HttpStatus status, int code, String message) {
        ObjectNode envelope = JSON.createObjectNode().put("success", false);
        envelope.putArray("errors").addObject().put("code", code).put("message", message);
        envelope.putArray("messages");
        envelope.putNull("result");
        return json(status, envelope);
    }

    private static HttpResponse json(HttpStatus status, JsonNode body) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body.toString());
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        List<T> out = new ArrayList<>();
        iterator.forEachRemaining(out::add);
        return out;
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
