package dev.outlast.monitor;

import java.util.Objects;

/**
 * Something the monitor watches. Generic on purpose: chain upstreams today, site origins and
 * probes plug in with their own kind.
 *
 * @param kind   what it is
 * @param id     unique and stable: {@code chain/upstream}, {@code site/origin}, {@code probe/name},
 *               {@code frontdoor/name/target}
 * @param group  the chain or site it belongs to ({@code probes} for probes, {@code frontdoor/name} for a
 *               front door's targets), for the status page
 * @param name   its short name within the group
 * @param vendor the vendor label known in advance to be in front of it, or {@code null}; a vendor
 *               attributed from failed responses takes precedence
 */
public record Subject(Kind kind, String id, String group, String name, String vendor) {

    /** The kinds of subject. */
    public enum Kind {
        CHAIN_UPSTREAM("chain-upstream"),
        SITE_ORIGIN("site-origin"),
        PROBE("probe"),
        /** One CDN path of a front door, watched by its own probe. */
        FRONT_DOOR_TARGET("frontdoor-target"),
        /** A front door itself: its incident says where the record points and why. */
        FRONT_DOOR("frontdoor"),
        /** A vendor incident's subject: every subject failing with one vendor. */
        VENDOR("vendor");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The word used in the API and the store. */
        public String label() {
            return label;
        }

        public static Kind ofLabel(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("subject kind: " + label);
        }
    }

    public Subject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(name, "name");
    }

    public static Subject chainUpstream(String chain, String upstream) {
        return chainUpstream(chain, upstream, null);
    }

    /** A chain upstream with the vendor configured in front of it ({@code null} when none). */
    public static Subject chainUpstream(String chain, String upstream, String vendor) {
        return new Subject(Kind.CHAIN_UPSTREAM, chain + "/" + upstream, chain, upstream, vendor);
    }

    public static Subject siteOrigin(String site, String origin) {
        return siteOrigin(site, origin, null);
    }

    /** A site origin with the vendor configured in front of it ({@code null} when none). */
    public static Subject siteOrigin(String site, String origin, String vendor) {
        return new Subject(Kind.SITE_ORIGIN, "site/" + site + "/" + origin, site, origin, vendor);
    }

    public static Subject probe(String name, String vendor) {
        return new Subject(Kind.PROBE, "probe/" + name, "probes", name, vendor);
    }

    /** A front door's target, {@code frontdoor/<frontDoor>/<target>}, with its configured vendor (or {@code null}). */
    public static Subject frontDoorTarget(String frontDoor, String target, String vendor) {
        return new Subject(Kind.FRONT_DOOR_TARGET, "frontdoor/" + frontDoor + "/" + target, "frontdoor/" + frontDoor,
                target, vendor);
    }

    /** A front door, {@code frontdoor/<name>}. */
    public static Subject frontDoor(String name) {
        return new Subject(Kind.FRONT_DOOR, "frontdoor/" + name, "frontdoors", name, null);
    }

    public static Subject vendor(String vendorLabel) {
        return new Subject(Kind.VENDOR, "vendor/" + vendorLabel, "vendors", vendorLabel, vendorLabel);
    }
}
