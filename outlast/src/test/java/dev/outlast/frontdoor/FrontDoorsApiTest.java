package dev.outlast.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.server.OutlastServer;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The front doors' admin API and status page section through the real server: the state of every
 * target and provider, pin, unpin and forced moves behind the admin token, each carried out on the
 * built-in DNS server and written on the front door's incident.
 */
class FrontDoorsApiTest {

    private static final String TOKEN = "test-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EdgeRig rig = new EdgeRig();

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void operatorsPinUnpinAndMoveTheRecordAndSeeEveryTargetAndProvider() throws Exception {
        FrontDoorConfig door = rig.config(FrontDoorConfig.Failback.MANUAL, List.of());
        try (OutlastServer server = OutlastServer.start(new OutlastConfig(ServerConfig.of("127.0.0.1", 0), List.of(),
                List.of(), CacheConfig.DEFAULT, OpsConfig.IN_MEMORY.withAdminToken(TOKEN), List.of(door)))) {
            WebClient api = WebClient.of("http://127.0.0.1:" + server.port());
            InetSocketAddress dns = server.frontDoors().servedAt("www").orElseThrow();
            await().untilAsserted(() -> assertThat(EdgeRig.cnameAt(dns)).isEqualTo(EdgeRig.CF_CNAME));
            await().untilAsserted(() -> assertThat(json(send(api, HttpMethod.GET, "/api/v1/frontdoors", null, null))
                    .path("frontDoors").get(0).path("targets").findValuesAsText("state"))
                    .containsExactly("passing", "passing"));

            JsonNode listed = json(send(api, HttpMethod.GET, "/api/v1/frontdoors", null, null)).path("frontDoors").get(0);
            assertThat(listed.path("hostname").asText()).isEqualTo("www.example.com");
            assertThat(listed.path("active").asText()).isEqualTo("cloudflare");
            assertThat(listed.path("targets").get(0).path("lastProbe").path("verdict").asText()).isEqualTo("pass");
            assertThat(listed.path("dns").get(0).path("provider").asText()).isEqualTo("built-in (zone www.example.com)");
            assertThat(listed.path("dns").get(0).path("readBack").path("matches").asBoolean()).isTrue();

            String pin = "/api/v1/frontdoors/www/pin";
            assertThat(send(api, HttpMethod.POST, pin, null, "{\"target\":\"cloudfront\"}").status().code())
                    .isEqualTo(401);
            AggregatedHttpResponse unknownTarget = send(api, HttpMethod.POST, pin, TOKEN, "{\"target\":\"akamai\"}");
            assertThat(unknownTarget.status().code()).isEqualTo(400);
            assertThat(json(unknownTarget).path("error").path("message").asText())
                    .isEqualTo("no target akamai in front door www (targets: cloudflare, cloudfront)");
            assertThat(send(api, HttpMethod.POST, pin, TOKEN, "{}").status().code()).isEqualTo(400);
            assertThat(send(api, HttpMethod.POST, "/api/v1/frontdoors/nope/pin", TOKEN, "{\"target\":\"cloudfront\"}")
                    .status().code()).isEqualTo(404);

            JsonNode pinned = json(send(api, HttpMethod.POST, pin, TOKEN, "{\"target\":\"cloudfront\"}"));
            assertThat(pinned.path("decision").path("kind").asText()).isEqualTo("move");
            assertThat(pinned.path("frontDoor").path("pinned").asText()).isEqualTo("cloudfront");
            await().untilAsserted(() -> assertThat(EdgeRig.cnameAt(dns)).isEqualTo(EdgeRig.CFR_CNAME));
            AggregatedHttpResponse conflict = send(api, HttpMethod.POST, "/api/v1/frontdoors/www/move", TOKEN,
                    "{\"target\":\"cloudflare\"}");
            assertThat(conflict.status().code()).isEqualTo(409);
            assertThat(json(conflict).path("error").path("message").asText())
                    .isEqualTo("pinned to cloudfront; unpin first, or pin cloudflare");

            assertThat(json(send(api, HttpMethod.POST, "/api/v1/frontdoors/www/unpin", TOKEN, null))
                    .path("unpinned").asBoolean()).isTrue();
            JsonNode moved = json(send(api, HttpMethod.POST, "/api/v1/frontdoors/www/move", TOKEN,
                    "{\"target\":\"cloudflare\"}"));
            assertThat(moved.path("decision").path("cause").asText()).isEqualTo("forced");
            await().untilAsserted(() -> assertThat(EdgeRig.cnameAt(dns)).isEqualTo(EdgeRig.CF_CNAME));

            String incidents = send(api, HttpMethod.GET, "/api/v1/incidents", null, null).contentUtf8();
            assertThat(incidents).contains("www.example.com moved from cloudflare to cloudfront: pinned to cloudfront "
                    + "by the admin API", "www.example.com moved from cloudfront to cloudflare: moved to cloudflare by "
                    + "the admin API", "unpinned by the admin API");
            String page = send(api, HttpMethod.GET, "/status", null, null).contentUtf8();
            assertThat(page).contains("<section id=\"frontdoors\"><h2>Front doors</h2>", "data-door=\"www\"",
                    "www.example.com &rarr; <span class=\"active ok\">cloudflare</span>",
                    "data-provider=\"built-in (zone www.example.com)\"", "href=\"/api/v1/frontdoors\"");
        }
    }

    private static AggregatedHttpResponse send(WebClient api, HttpMethod method, String path, String token,
                                               String body) {
        RequestHeadersBuilder headers = RequestHeaders.builder(method, path);
        if (token != null) {
            headers.add("authorization", "Bearer " + token);
        }
        return api.execute(body == null ? HttpRequest.of(headers.build())
                : HttpRequest.of(headers.contentType(MediaType.JSON_UTF_8).build(),
                        HttpData.ofUtf8(body))).aggregate().join();
    }

    private static JsonNode json(AggregatedHttpResponse response) throws Exception {
        return JSON.readTree(response.contentUtf8());
    }
}
