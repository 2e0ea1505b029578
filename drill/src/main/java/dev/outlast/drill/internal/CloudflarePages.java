package dev.outlast.drill.internal;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Cloudflare's own error answers, as a client sees them: {@code 500}/{@code 502} are the short
 * nginx-style page with a "cloudflare" footer (what sites showed in the November 2025 incident);
 * {@code 52x}/{@code 530} are the branded page with the error code, title and a Ray ID. Every
 * answer carries {@code server: cloudflare} and a fresh {@code cf-ray: <16 hex>-FRA}. Thread-safe.
 */
public final class CloudflarePages {

    private record Kind(String title, String reason) {
    }

    private static final Map<Integer, Kind> KINDS = Map.of(
            500, new Kind("Internal Server Error", "Internal Server Error"),
            502, new Kind("Bad Gateway", "Bad Gateway"),
            520, new Kind("Web server is returning an unknown error", "Unknown Error"),
            521, new Kind("Web server is down", "Web Server Is Down"),
            522, new Kind("Connection timed out", "Connection Timed Out"),
            523, new Kind("Origin is unreachable", "Origin Is Unreachable"),
            524, new Kind("A timeout occurred", "A Timeout Occurred"),
            525, new Kind("SSL handshake failed", "SSL Handshake Failed"),
            526, new Kind("Invalid SSL certificate", "Invalid SSL Certificate"),
            530, new Kind("Origin DNS error", "Origin DNS Error"));

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final DateTimeFormatter PAGE_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);

    private CloudflarePages() {
    }

    /** The reason phrase for a status, Cloudflare's for its 52x codes; empty if unknown. */
    public static String reason(int status) {
        Kind kind = KINDS.get(status);
        return kind == null ? "" : kind.reason();
    }

    /** Cloudflare's answer with {@code status}, for the site {@code host}. */
    public static WireResponse page(int status, String host, RandomGenerator random) {
        Kind kind = KINDS.get(status);
        if (kind == null) {
            throw new IllegalArgumentException("status: " + status + " (expected: a Cloudflare error status)");
        }
        String ray = HexFormat.of().toHexDigits(random.nextLong());
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        boolean branded = status >= 520;
        String body = branded ? branded(status, kind.title(), host, ray, now) : plain(status, kind.title());
        List<WireRequest.Header> headers = new java.util.ArrayList<>(List.of(
                new WireRequest.Header("date", HTTP_DATE.format(now)),
                new WireRequest.Header("content-type", branded ? "text/html; charset=UTF-8" : "text/html")));
        if (branded) {
            headers.add(new WireRequest.Header("cache-control",
                    "private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0"));
            headers.add(new WireRequest.Header("expires", "Thu, 01 Jan 1970 00:00:01 GMT"));
            headers.add(new WireRequest.Header("referrer-policy", "same-origin"));
            headers.add(new WireRequest.Header("x-frame-options", "SAMEORIGIN"));
        }
        headers.add(new WireRequest.Header("server", "cloudflare"));
        headers.add(new WireRequest.Header("cf-ray", ray + "-FRA"));
        return new WireResponse(status, headers, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String plain(int status, String title) {
        return "<html>\r\n<head><title>" + status + " " + title + "</title></head>\r\n<body>\r\n"
                + "<center><h1>" + status + " " + title + "</h1></center>\r\n"
                + "<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";
    }

    private static String branded(int status, String title, String host, String ray, ZonedDateTime now) {
        String landing = "https://www.cloudflare.com/5xx-error-landing?utm_source=errorcode_" + status
                + "&amp;utm_campaign=" + host;
        return """
                <!DOCTYPE html>
                <!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
                <!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->
                <head>
                <title>%2$s | %1$d: %3$s</title>
                <meta charset="UTF-8" />
                <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
                <meta http-equiv="X-UA-Compatible" content="IE=Edge" />
                <meta name="robots" content="noindex, nofollow" />
                <meta name="viewport" content="width=device-width,initial-scale=1" />
                <link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/main.css" />
                </head>
                <body>
                <div id="cf-wrapper">
                  <div id="cf-error-details" class="p-0">
                    <header class="mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-8">
                      <h1 class="inline-block sm:block sm:mb-2 font-light text-60 lg:text-4xl text-black-dark leading-tight mr-2">
                        <span class="inline-block">%3$s</span>
                        <span class="code-label">Error code %1$d</span>
                      </h1>
                      <div>Visit <a href="%4$s" target="_blank" rel="noopener noreferrer">cloudflare.com</a> for more information.</div>
                      <div class="mt-3">%5$s</div>
                    </header>
                    <div class="my-8 bg-gradient-gray">
                      <div class="w-240 lg:w-full mx-auto">
                        <div class="clearfix md:px-8">
                          <div id="cf-browser-status" class="relative w-1/3 md:w-full py-15 md:p-0 md:py-8 md:text-left md:border-solid md:border-0 md:border-b md:border-gray-400 overflow-hidden float-left md:float-none text-center">
                            <span class="md:block w-full truncate">You</span> <h3 class="md:inline-block mt-3 md:mt-0 text-2xl text-gray-600 font-light leading-1.3">Browser</h3>
                            <span class="leading-1.3 text-2xl text-green-success">Working</span>
                          </div>
                          <div id="cf-cloudflare-status" class="relative w-1/3 md:w-full py-15 md:p-0 md:py-8 md:text-left md:border-solid md:border-0 md:border-b md:border-gray-400 overflow-hidden float-left md:float-none text-center">
                            <span class="md:block w-full truncate">Frankfurt</span> <h3 class="md:inline-block mt-3 md:mt-0 text-2xl text-gray-600 font-light leading-1.3">Cloudflare</h3>
                            <span class="leading-1.3 text-2xl text-green-success">Working</span>
                          </div>
                          <div id="cf-host-status" class="cf-error-source relative w-1/3 md:w-full py-15 md:p-0 md:py-8 md:text-left md:border-solid md:border-0 md:border-b md:border-gray-400 overflow-hidden float-left md:float-none text-center">
                            <span class="md:block w-full truncate">%2$s</span> <h3 class="md:inline-block mt-3 md:mt-0 text-2xl text-gray-600 font-light leading-1.3">Host</h3>
                            <span class="leading-1.3 text-2xl text-red-error">Error</span>
                          </div>
                        </div>
                      </div>
                    </div>
                    <div class="cf-error-footer cf-wrapper w-240 lg:w-full py-10 sm:py-4 sm:px-8 mx-auto text-center sm:text-left border-solid border-0 border-t border-gray-300">
                      <p class="text-13">
                        <span class="cf-footer-item sm:block sm:mb-1">Cloudflare Ray ID: <strong class="font-semibold">%6$s</strong></span>
                        <span class="cf-footer-separator sm:hidden">&bull;</span>
                        <span class="cf-footer-item sm:block sm:mb-1"><span>Performance &amp; security by</span> <a rel="noopener noreferrer" href="%4$s" id="brand_link" target="_blank">Cloudflare</a></span>
                      </p>
                    </div>
                  </div>
                </div>
                </body>
                </html>
                """.formatted(status, host, title, landing, PAGE_DATE.format(now), ray);
    }
}
