package dev.outlast.frontdoor.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.RequestHeaders;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The calls {@link CloudflareProvider} makes to Cloudflare's v4 API, with the API token as a bearer token:
 * list a name's DNS records, and apply a batch of changes. Unwraps the {@code {success, errors, messages,
 * result}} envelope; a failure becomes {@code "HTTP 403: Authentication error (10000)"}, in Cloudflare's words,
 * with the token scrubbed from anything shown.
 *
 * <p>Thread-safe; never blocks (Armeria's client).
 */
final class CloudflareApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SHOWN = 200;

    private final WebClient client;
    private final String zonePath;
    private final String token;
    private final String provider;

    CloudflareApi(URI endpoint, String zoneId, String token, ClientFactory factory, Duration timeout, String provider) {
        String base = endpoint.toString();
        this.client = WebClient.builder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                .factory(factory)
                .responseTimeout(timeout)
                .addHeader(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                .build();
        this.zonePath = "/zones/" + zoneId + "/dns_records";
        this.token = token;
        this.provider = provider;
    }

    /** {@code GET /zones/{zone_id}/dns_records?name=...}: the name's records of every type, all pages. */
    CompletableFuture<List<JsonNode>> list(String hostname) {
        return list(hostname, 1, new ArrayList<>());
    }

    private CompletableFuture<List<JsonNode>> list(String hostname, int page, List<JsonNode> records) {
        String query = QueryParams.of("name", hostname, "per_page", "100", "page", String.valueOf(page))
                .toQueryString();
        return call(HttpMethod.GET, zonePath + "?" + query, null).thenCompose(envelope -> {
            envelope.path("result").forEach(records::add);
            JsonNode info = envelope.path("result_info");
            int totalPages = info.path("total_pages").asInt(1);
            return page < totalPages && page < 10 ? list(hostname, page + 1, records)
                    : CompletableFuture.completedFuture(records);
        });
    }

    /** {@code POST /zones/{zone_id}/dns_records/batch}: deletes, patches, puts and posts in one transaction. */
    CompletableFuture<JsonNode> batch(JsonNode body) {
        return call(HttpMethod.POST, zonePath + "/batch", body);
    }

    private CompletableFuture<JsonNode> call(HttpMethod method, String path, JsonNode body) {
        HttpRequest request;
        try {
            RequestHeaders headers = RequestHeaders.of(method, path, HttpHeaderNames.ACCEPT, MediaType.JSON.toString());
            request = body == null ? HttpRequest.of(headers)
                    : HttpRequest.of(headers.withMutations(h -> h.contentType(MediaType.JSON_UTF_8)),
                                     HttpData.wrap(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new DnsProviderException(provider, e.getMessage(), e));
        }
        return Outcomes.settle(client.execute(request).aggregate().thenApply(this::envelope),
                               e -> new DnsProviderException(provider, scrub(method + " " + path.replaceAll("\\?.*", "")
                                       + " failed: " + e.getClass().getSimpleName()
                                       + (e.getMessage() == null ? "" : ": " + e.getMessage())), e));
    }

    private JsonNode envelope(AggregatedHttpResponse response) {
        int status = response.status().code();
        JsonNode envelope;
        try {
            envelope = JSON.readTree(response.contentUtf8());
        } catch (IOException e) {
            envelope = null;
        }
        if (envelope == null || !envelope.isObject()) {
            String text = response.contentUtf8().strip();
            throw new DnsProviderException(provider, scrub("HTTP " + status + ": "
                    + (text.isEmpty() ? response.status().reasonPhrase() : shorten(text))));
        }
        if (status / 100 != 2 || !envelope.path("success").asBoolean(false)) {
            throw new DnsProviderException(provider, scrub("HTTP " + status + ": " + errors(envelope)));
        }
        return envelope;
    }

    /**
     * {@code "Authentication error (10000)"}, each of Cloudflare's errors joined with {@code "; "}, an error's
     * {@code error_chain} after it: {@code "DNS Validation Error (1004): TTL must be between ... (9021)"}.
     */
    private static String errors(JsonNode envelope) {
        List<String> out = new ArrayList<>();
        for (JsonNode error : envelope.path("errors")) {
            String text = error(error);
            List<String> chain = new ArrayList<>();
            error.path("error_chain").forEach(cause -> chain.add(error(cause)));
            out.add(chain.isEmpty() ? text : text + ": " + String.join("; ", chain));
        }
        return out.isEmpty() ? "request not successful (no errors given)" : String.join("; ", out);
    }

    private static String error(JsonNode error) {
        String message = error.path("message").asText("");
        return error.has("code") ? message + " (" + error.path("code").asText() + ")" : message;
    }

    private String scrub(String text) {
        return token.isEmpty() ? text : text.replace(token, "<redacted>");
    }

    private static String shorten(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "…";
    }
}
