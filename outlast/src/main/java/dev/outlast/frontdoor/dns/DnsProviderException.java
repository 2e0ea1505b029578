package dev.outlast.frontdoor.dns;

/**
 * A DNS provider refused or failed a write or a read. The message is the provider's own words
 * ({@code "update refused: NOTAUTH"}, {@code "HTTP 403: Authentication error"}), with no secret in it.
 */
public final class DnsProviderException extends RuntimeException {

    private final String provider;

    /** @param provider the provider's {@link DnsProvider#describe()} */
    public DnsProviderException(String provider, String message) {
        super(message);
        this.provider = provider;
    }

    public DnsProviderException(String provider, String message, Throwable cause) {
        super(message, cause);
        this.provider = provider;
    }

    /** Which provider said it. */
    public String provider() {
        return provider;
    }
}
