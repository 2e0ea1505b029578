package dev.outlast.attribution;

/** An edge vendor (CDN, load balancer, gateway or hosting edge) that can stand in front of an origin. */
public enum Vendor {
    CLOUDFLARE("Cloudflare"),
    CLOUDFRONT("Amazon CloudFront"),
    AWS_ELB("AWS Elastic Load Balancing"),
    AWS_API_GATEWAY("Amazon API Gateway"),
    FASTLY("Fastly"),
    AKAMAI("Akamai"),
    GOOGLE_FRONT_END("Google Front End"),
    VERCEL("Vercel"),
    AZURE_FRONT_DOOR("Azure Front Door"),
    NETLIFY("Netlify"),
    UNKNOWN("Unknown");

    /** The constant's name in lower case with hyphens. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    private final String displayName;

    Vendor(String displayName) {
        this.displayName = displayName;
    }

    /** Stable lower-case word for metrics, the API and failure details, e.g. {@code aws-elb}. */
    public String label() {
        return label;
    }

    /** The vendor's name as people write it, for the status page. */
    public String displayName() {
        return displayName;
    }
}
