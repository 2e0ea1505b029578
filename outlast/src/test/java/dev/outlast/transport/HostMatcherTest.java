package dev.outlast.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one rule by which a {@code Host} names a site, for both servers. */
class HostMatcherTest {

    private final HostMatcher<String> hosts =
            HostMatcher.of(Map.of("app.example.com", "app", "api.example.com", "api"));

    @ParameterizedTest
    @ValueSource(strings = {"app.example.com", "APP.Example.Com", "app.example.com:8080", "app.example.com.",
                            "App.Example.Com.:443", " app.example.com ", "\tapp.example.com:80\t"})
    void namesTheSiteInAnyCaseWithAnyPortAndOneTrailingDot(String host) {
        assertThat(hosts.match(host)).isEqualTo("app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.example.com..", "www.app.example.com", "app.example.co", "pp.example.com",
                            "app.example.com.evil", "[::1]", "[::1]:8080", "[app.example.com]", "", " ", ":8080",
                            ".", "127.0.0.1:8080"})
    void namesNoSiteOtherwise(String host) {
        assertThat(hosts.match(host)).isNull();
    }

    @Test
    void aMissingHostNamesNone() {
        assertThat(hosts.match(null)).isNull();
    }

    @Test
    void theOtherSiteIsFoundByItsOwnName() {
        assertThat(hosts.match("api.example.com:8443")).isEqualTo("api");
    }

    @Test
    void anEmptyMatcherMatchesNothing() {
        assertThat(HostMatcher.<String>none().match("app.example.com")).isNull();
        assertThat(HostMatcher.<String>none().isEmpty()).isTrue();
        assertThat(HostMatcher.of(Map.of()).isEmpty()).isTrue();
        assertThat(hosts.isEmpty()).isFalse();
    }

    @Test
    void everyOfManyHostsIsFound() {
        Map<String, Integer> many = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            many.put("site-" + i + ".example.org", i);
        }
        HostMatcher<Integer> matcher = HostMatcher.of(many);
        for (int i = 0; i < 500; i++) {
            assertThat(matcher.match("SITE-" + i + ".example.org.:80")).isEqualTo(i);
        }
        assertThat(matcher.match("site-500.example.org")).isNull();
    }

    @Test
    void namesGivenTwiceInDifferentCaseAreRefused() {
        Map<String, String> twice = new HashMap<>();
        twice.put("app.example.com", "a");
        twice.put("APP.example.com", "b");
        assertThatThrownBy(() -> HostMatcher.of(twice)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("given twice");
    }
}
