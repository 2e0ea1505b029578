package dev.outlast.attribution;

/** An edge vendor (CDN, load balancer, gateway or hosting edge) that can stand in front of an origin. */
public enum Vendor {
    CLOUDFLARE("cloudflare", "Cloudflare"),
    CLOUDFRONT("cloudfront", "Amazon CloudFront"),
    AWS_ELB("aws-elb", "AWS Elastic Load Balancing"),
    AWS_API_GATEWAY("aws-api-gateway", "Amazon API Gateway"),
    FASTLY("fastly", "Fastly"),
    AKAMAI("akamai", "Akamai"),
    GOOGLE_FRONT_END("google-front-end", "Google Front End"),
    VERCEL("vercel", "Vercel"),
    AZURE_FRONT_DOOR("azure-front-door", "Azure Front Door"),
    NETLIFY("netlify", "Netlify"),
    UNKNOWN("unknown", "Unknown");

    private final String label;
    private final String displayName;

    Vendor(String label, String displayName) {
        this.label = label;
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
