package dev.outlast.frontdoor.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Conversions between {@link RecordSet}s and dnsjava's records, and the one textual form of names and
 * addresses every provider reads back: names in lower case without the trailing dot, IPv4 dotted quads,
 * IPv6 in RFC 5952's compressed form, so a record read from any provider compares equal to the one written.
 */
final class WireRecords {

    /** The order a read looks for a steered name's records: a CNAME excludes the others. */
    static final List<RecordSet.Type> READ_ORDER = List.of(RecordSet.Type.CNAME, RecordSet.Type.A, RecordSet.Type.AAAA);

    private WireRecords() {
    }

    /** {@code hostname} as an absolute DNS name. */
    static Name name(String hostname) {
        try {
            return Name.fromString(hostname.endsWith(".") ? hostname : hostname + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + hostname, e);
        }
    }

    /** A name as {@link RecordSet} holds it: lower case, no trailing dot. */
    static String text(Name name) {
        return hostname(name.toString());
    }

    static String hostname(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** Whether {@code hostname} is {@code zone} or a name under it. */
    static boolean inZone(String hostname, String zone) {
        String name = hostname(hostname);
        String apex = hostname(zone);
        return name.equals(apex) || name.endsWith("." + apex);
    }

    static int type(RecordSet.Type type) {
        return switch (type) {
            case CNAME -> Type.CNAME;
            case A -> Type.A;
            case AAAA -> Type.AAAA;
        };
    }

    /** The dnsjava records of {@code records}; an address that is not a literal of the type is refused. */
    static List<Record> records(RecordSet records) {
        return records(records, name(records.hostname()));
    }

    /** The dnsjava records of {@code records}, owned by {@code name} (the same name, perhaps in another case). */
    static List<Record> records(RecordSet records, Name name) {
        long ttl = records.ttl().toSeconds();
        List<Record> out = new ArrayList<>(records.values().size());
        for (String value : records.values()) {
            out.add(switch (records.type()) {
                case CNAME -> new CNAMERecord(name, DClass.IN, ttl, name(value));
                case A -> new ARecord(name, DClass.IN, ttl, address(value, Address.IPv4));
                case AAAA -> new AAAARecord(name, DClass.IN, ttl, address(value, Address.IPv6));
            });
        }
        return out;
    }

    /**
     * The record set of {@code type} for {@code hostname} among {@code records} (other names and types are
     * skipped), addresses sorted (servers rotate them), with the smallest TTL among them; empty when there is none.
     */
    static Optional<RecordSet> recordSet(String hostname, RecordSet.Type type, List<Record> records) {
        Name name = name(hostname);
        int wanted = type(type);
        List<String> values = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record record : records) {
            if (record.getType() != wanted || !record.getName().equals(name)) {
                continue;
            }
            ttl = Math.min(ttl, record.getTTL());
            values.add(switch (record) {
                case CNAMERecord cname -> text(cname.getTarget());
                case ARecord a -> canonical(a.getAddress());
                case AAAARecord aaaa -> canonical(aaaa.getAddress());
                default -> throw new AssertionError(record);
            });
        }
        if (type != RecordSet.Type.CNAME) {
            values.sort(null);
        }
        return values.isEmpty() ? Optional.empty()
                : Optional.of(new RecordSet(hostname(hostname), type, values, Duration.ofSeconds(Math.max(1, ttl))));
    }

    /** {@code text} as an address of {@code type}, in canonical form. */
    static String canonical(RecordSet.Type type, String text) {
        return switch (type) {
            case CNAME -> hostname(text);
            case A -> canonical(address(text, Address.IPv4));
            case AAAA -> canonical(address(text, Address.IPv6));
        };
    }

    static InetAddress address(String text, int family) {
        try {
            return Address.getByAddress(text, family);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an " + (family == Address.IPv4 ? "IPv4" : "IPv6") + " address: "
                                               + text, e);
        }
    }

    /** A dotted quad, or an IPv6 address with its longest run of zero groups written {@code ::} (RFC 5952). */
    static String canonical(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
