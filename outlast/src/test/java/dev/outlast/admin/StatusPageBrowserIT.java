package dev.outlast.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.HealthCheckConfig;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page as a person sees it, in headless Debian Chromium driven by Playwright (the system
 * browser, never a downloaded one): a Cloudflare outage in front of a chain upstream and a site
 * origin appears as one vendor incident, the site's failing origin is marked, and both resolve on
 * the open page without a reload, at phone and desktop sizes; screenshots are kept under
 * {@code target/screenshots/}.
 */
class StatusPageBrowserIT {

    private static final Path SHOTS = Paths.get("target", "screenshots");

    private static Playwright playwright;
    private static BrowserContext withScript;
    private static BrowserContext withoutScript;

    @TempDir
    static Path profiles;

    @BeforeAll
    static void launch() throws Exception {
        Files.createDirectories(SHOTS);
        playwright = Playwright.create();
        withScript = launch(profiles.resolve("js"), true);
        withoutScript = launch(profiles.resolve("nojs"), false);
    }

    /** Debian's Chromium with a fresh user data directory. */
    private static BrowserContext launch(Path userDataDir, boolean javascript) {
        return playwright.chromium().launchPersistentContext(userDataDir,
                new BrowserType.LaunchPersistentContextOptions()
                        .setExecutablePath(Paths.get("/usr/bin/chromium"))
                        .setHeadless(true)
                        .setJavaScriptEnabled(javascript)
                        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    @AfterAll
    static void close() {
        for (BrowserContext c : new BrowserContext[] {withScript, withoutScript}) {
            if (c != null) {
                c.close();
            }
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    private static Page open(String url, int width, int height, boolean javascript) {
        Page page = (javascript ? withScript : withoutScript).newPage();
        page.setViewportSize(width, height);
        page.navigate(url);
        if (javascript) {
            page.evaluate("window.__sameDocument = 'yes'");
        }
        return page;
    }

    private static void shoot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name)).setFullPage(true));
        assertThat(SHOTS.resolve(name)).isNotEmptyFile();
    }

    @Test
    void aVendorIncidentAcrossAChainAndASiteAppearsAndResolvesWithoutAReloadOnPhoneAndDesktop() {
        MonitoringConfig fast = new MonitoringConfig(3, 3, 0.99, 14.4, Duration.ofSeconds(10), Duration.ofMinutes(1),
                10, Duration.ZERO, 2, Duration.ofDays(90), List.of());
        try (FakeUpstream alpha = FakeUpstream.honest(); FakeUpstream beta = FakeUpstream.honest();
             FakeOrigin first = new FakeOrigin("first"); FakeOrigin second = new FakeOrigin("second")) {
            SiteConfig site = SiteConfig.of("app", "app.example.com", List.of(
                            new OriginConfig("first", first.uri(), "cloudflare"), new OriginConfig("second", second.uri())))
                    // Checks on a path the origin answers like any other (FakeOrigin answers /health itself).
                    .withHealthCheck(new HealthCheckConfig("/check", Duration.ofMillis(200), Duration.ofSeconds(2), 0));
            try (TestGateway gateway = TestGateway.start(new OutlastConfig(ServerConfig.of("127.0.0.1", 0),
                     List.of(TestGateway.chain(Map.of("alpha", alpha.uri(), "beta", beta.uri()))), List.of(site),
                     CacheConfig.DEFAULT, OpsConfig.IN_MEMORY.withMonitoring(fast)), 2)) {
                String url = "http://127.0.0.1:" + gateway.server().port() + "/status";
                Page phone = open(url, 390, 844, true);
                Page desktop = open(url, 1280, 900, true);
                for (Page page : List.of(phone, desktop)) {
                    assertThat(page.textContent("#summary")).isEqualTo("All monitored subjects operational");
                    assertThat(page.locator("#monitors .mon").count()).isEqualTo(4);
                    assertThat(page.locator("#monitors .mon").first().locator(".bars i").count()).isEqualTo(90);
                    // Every site with its origins, the configured vendor in front of each, none failing.
                    assertThat(page.textContent("#sites [data-site=\"app\"] h3")).contains("app.example.com")
                            .contains("serving");
                    assertThat(page.locator("#sites [data-site=\"app\"] .origin").count()).isEqualTo(2);
                    assertThat(page.textContent("#sites [data-origin=\"first\"]")).contains("healthy")
                            .contains("via Cloudflare");
                    assertThat(page.locator("#sites .origin.failing").count()).isZero();
                }
                shoot(phone, "status-ok-phone-390x844.png");

                // Cloudflare fails in front of the chain upstream alpha and the site origin first at once.
                alpha.mode(new FakeUpstream.Mode.Cloudflare(522));
                first.vendorPage("cloudflare-522.http", 522);
                for (Page page : List.of(phone, desktop)) {
                    page.waitForFunction("(() => { const o = document.querySelector('#open-incidents');"
                            + " return o && o.textContent.includes('devnet/alpha')"
                            + " && o.textContent.includes('site/app/first'); })()",
                            null, new Page.WaitForFunctionOptions().setTimeout(60_000));
                    String card = page.textContent("#open-incidents .incident.open");
                    assertThat(card).contains("Cloudflare incident").contains("Cloudflare (edge) at FRA")
                            .contains("affects: ").contains("for ");
                    assertThat(page.textContent("#summary")).isEqualTo("1 open incident");
                    assertThat(page.evaluate("window.__sameDocument")).isEqualTo("yes");
                    page.waitForSelector("#sites [data-origin=\"first\"].failing",
                            new Page.WaitForSelectorOptions().setTimeout(30_000));
                    assertThat(page.textContent("#sites [data-origin=\"first\"]")).contains("Cloudflare (edge) at FRA");
                    assertThat(page.locator("#sites [data-origin=\"second\"].failing").count()).isZero();
                }
                // Open incidents come first, before the sites, the monitors and the chains.
                assertThat(desktop.evaluate("document.querySelector('#open-incidents').compareDocumentPosition("
                        + "document.querySelector('#sites')) & Node.DOCUMENT_POSITION_FOLLOWING")).isNotEqualTo(0);
                assertThat(desktop.evaluate("document.querySelector('#open-incidents').compareDocumentPosition("
                        + "document.querySelector('#monitors')) & Node.DOCUMENT_POSITION_FOLLOWING")).isNotEqualTo(0);
                desktop.waitForFunction("document.querySelector('[data-subject=\"devnet/alpha\"] .badge').textContent === 'down'",
                        null, new Page.WaitForFunctionOptions().setTimeout(30_000));
                shoot(phone, "status-incident-phone-390x844.png");
                shoot(desktop, "status-incident-desktop-1280x900.png");

                // Without JavaScript the server-rendered page still shows the incident and the failing origin.
                Page plain = open(url, 390, 844, false);
                assertThat(plain.textContent("#open-incidents")).contains("Cloudflare");
                assertThat(plain.locator("#sites .origin.failing").count()).isEqualTo(1);
                assertThat(plain.locator("noscript").count()).isEqualTo(1);
                plain.close();

                alpha.mode(FakeUpstream.HONEST);
                first.serve("ok");
                for (Page page : List.of(phone, desktop)) {
                    page.waitForFunction("document.getElementById('summary').textContent === 'All monitored subjects operational'",
                            null, new Page.WaitForFunctionOptions().setTimeout(60_000));
                    assertThat(page.locator("#open-incidents").count()).isZero();
                    String history = page.textContent("#history .incident.resolved");
                    assertThat(history).contains("Cloudflare incident").contains("devnet/alpha").contains("site/app/first")
                            .contains("lasted ");
                    page.waitForFunction("document.querySelectorAll('#sites .origin.failing').length === 0",
                            null, new Page.WaitForFunctionOptions().setTimeout(30_000));
                    assertThat(page.evaluate("window.__sameDocument")).isEqualTo("yes");
                }
                shoot(phone, "status-resolved-phone-390x844.png");
                shoot(desktop, "status-resolved-desktop-1280x900.png");
                // Nothing overflows sideways on the phone.
                assertThat(((Number) phone.evaluate("document.documentElement.scrollWidth")).intValue())
                        .isLessThanOrEqualTo(390);
            }
        }
    }
}
