package dev.outlast.frontdoor.dns;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.Server;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Amazon Route 53's REST API (2013-04-01) as documented, for one hosted zone, on a local port:
 * {@code GET .../rrset} (ListResourceRecordSets: sorted by name then type, from {@code name}/{@code type}, with
 * {@code maxitems}) and {@code POST .../rrset/} (ChangeResourceRecordSets: CREATE, DELETE and UPSERT applied in
 * order, all or nothing), every request checked for a valid SigV4 signature for {@code route53}, answers and
 * errors in Route 53's XML ({@code ErrorResponse}, {@code InvalidChangeBatch}). Requests that stray from the
 * documented shape are answered 400 and kept in {@link #violations()}.
 */
final class FakeRoute53 implements AutoCloseable {

    static final String ZONE_ID = "Z0123456789ABCDEFGHIJ";
    static final String ACCESS_KEY = "AKIDOUTLASTEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";

    /** One record set: name with the trailing dot, type, TTL and values, or an alias target. */
    record RRSet(String name, String type, long ttl, List<String> values, String alias) {
        String key() {
            List<String> labels = new ArrayList<>(Arrays.asList(name.split("\\.")));
            Collections.reverse(labels);
            return String.join(".", labels) + " " + type;
        }
    }

    private final TreeMap<String, RRSet> sets = new TreeMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Server server;
    volatile boolean denyChanges;

    FakeRoute53() {
        server = Server.builder().http(0).gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .serviceUnder("/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(this::handle)))
                .build();
        server.start().join();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.activeLocalPort());
    }

    /** Forgets every record set, request and violation, and allows changes again. */
    synchronized void reset() {
        sets.clear();
        requests.clear();
        violations.clear();
        denyChanges = false;
    }

    List<String> requests() {
        return requests;
    }

    List<String> violations() {
        return violations;
    }

    synchronized void put(RRSet set) {
        sets.put(set.key(), set);
    }

    synchronized List<RRSet> sets() {
        return List.copyOf(sets.values());
    }

    private synchronized HttpResponse handle(AggregatedHttpRequest request) {
        String path = request.path().replaceAll("\\?.*", "");
        requests.add(request.method() + " " + path);
        String signature = SigV4.problem(request, ACCESS_KEY, SECRET_KEY, "route53");
        if (signature != null && signature.startsWith("signed by")) {
            return error(HttpStatus.FORBIDDEN, "InvalidClientTokenId", "The security token included in the request is "
                         + "invalid.");
        } else if (signature != null) {
            violations.add(signature);
            return error(HttpStatus.FORBIDDEN, "SignatureDoesNotMatch", "The request signature we calculated does not "
                         + "match the signature you provided.");
        }
        String[] parts = path.split("/");
        if (parts.length < 5 || !parts[1].equals("2013-04-01") || !parts[2].equals("hostedzone")
            || !parts[4].equals("rrset")) {
            return violation("unknown path " + path);
        }
        if (!parts[3].equals(ZONE_ID)) {
            return error(HttpStatus.NOT_FOUND, "NoSuchHostedZone", "No hosted zone found with ID: " + parts[3]);
        }
        if (request.method() == HttpMethod.GET) {
            String query = request.path().contains("?") ? request.path().substring(request.path().indexOf('?') + 1)
                    : "";
            return list(QueryParams.fromQueryString(query));
        } else if (request.method() == HttpMethod.POST) {
            if (denyChanges) {
                return error(HttpStatus.FORBIDDEN, "AccessDenied", "User: arn:aws:iam::123456789012:user/outlast is "
                        + "not authorized to perform: route53:ChangeResourceRecordSets on resource: "
                        + "arn:aws:route53:::hostedzone/" + ZONE_ID);
            }
            return change(request);
        }
        return violation(request.method() + " " + path);
    }

    private HttpResponse list(QueryParams params) {
        for (String name : params.names()) {
            if (!java.util.Set.of("name", "type", "identifier", "maxitems").contains(name)) {
                return violation("list parameter " + name);
            }
        }
        String name = params.get("name");
        String type = params.get("type");
        int max = params.getInt("maxitems", 300);
        if (type != null && name == null || max < 1 || max > 300) {
            return violation("list with type " + type + " without name, or maxitems " + max);
        }
        String from = name == null ? "" : new RRSet(name.endsWith(".") ? name : name + ".", type == null ? "" : type, 0,
                                                  List.of(), null).key();
        List<RRSet> page = sets.tailMap(from, true).values().stream().limit(max + 1L).toList();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ListResourceRecordSetsResponse xmlns=\"" + NS + "\"><ResourceRecordSets>");
        page.stream().limit(max).forEach(set -> xml.append(xml(set)));
        xml.append("</ResourceRecordSets><IsTruncated>").append(page.size() > max).append("</IsTruncated>");
        if (page.size() > max) {
            xml.append("<NextRecordName>").append(page.get(max).name()).append("</NextRecordName><NextRecordType>")
                    .append(page.get(max).type()).append("</NextRecordType>");
        }
        xml.append("<MaxItems>").append(max).append("</MaxItems></ListResourceRecordSetsResponse>");
        return HttpResponse.of(HttpStatus.OK, MediaType.XML_UTF_8, xml.toString());
    }

    private static String xml(RRSet set) {
        StringBuilder xml = new StringBuilder("<ResourceRecordSet><Name>").append(set.name()).append("</Name><Type>")
                .append(set.type()).append("</Type>");
        if (set.alias() != null) {
            xml.append("<AliasTarget><HostedZoneId>Z2FDTNDATAQYW2</HostedZoneId><DNSName>").append(set.alias())
                    .append("</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget>");
        } else {
            xml.append("<TTL>").append(set.ttl()).append("</TTL><ResourceRecords>");
            set.values().forEach(v -> xml.append("<ResourceRecord><Value>").append(v).append("</Value></ResourceRecord>"));
            xml.append("</ResourceRecords>");
        }
        return xml.append("</ResourceRecordSet>").toString();
    }

    private HttpResponse change(AggregatedHttpRequest request) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(request.content().array()));
        } catch (Exception e) {
            return violation("change body is not XML: " + e.getMessage());
        }
        Element root = document.getDocumentElement();
        if (!root.getLocalName().equals("ChangeResourceRecordSetsRequest") || !NS.equals(root.getNamespaceURI())) {
            return violation("change root " + root.getNodeName() + " in " + root.getNamespaceURI());
        }
        Element batch = only(root, "ChangeBatch");
        Element changes = batch == null ? null : only(batch, "Changes");
        if (changes == null || children(changes, "Change").isEmpty()) {
            return violation("no ChangeBatch/Changes/Change");
        }
        TreeMap<String, RRSet> after = new TreeMap<>(sets);
        for (Element change : children(changes, "Change")) {
            Element action = only(change, "Action");
            Element setElement = only(change, "ResourceRecordSet");
            if (action == null || setElement == null) {
                return violation("Change without Action or ResourceRecordSet");
            }
            RRSet set = set(setElement);
            if (set == null) {
                return violation("ResourceRecordSet " + setElement.getTextContent());
            }
            String label = "[name='" + set.name() + "', type='" + set.type() + "']";
            switch (action.getTextContent()) {
                case "DELETE" -> {
                    RRSet current = after.get(set.key());
                    if (current == null) {
                        return invalid("Tried to delete resource record set " + label + " but it was not found");
                    } else if (!current.equals(set)) {
                        return invalid("Tried to delete resource record set " + label + " but the values provided "
                                       + "do not match the current values");
                    }
                    after.remove(set.key());
                }
                case "CREATE" -> {
                    if (after.putIfAbsent(set.key(), set) != null) {
                        return invalid("Tried to create resource record set " + label + " but it already exists");
                    }
                }
                case "UPSERT" -> after.put(set.key(), set);
                default -> {
                    return violation("Action " + action.getTextContent());
                }
            }
            boolean clash = after.values().stream().anyMatch(other -> other.name().equals(set.name())
                    && !other.type().equals(set.type()) && (other.type().equals("CNAME") || set.type().equals("CNAME")));
            if (clash && !action.getTextContent().equals("DELETE")) {
                return invalid("RRSet of type " + set.type() + " with DNS name " + set.name() + " is not permitted as "
                               + "it conflicts with other records with the same DNS name in zone example.com.");
            }
        }
        sets.clear();
        sets.putAll(after);
        return HttpResponse.of(HttpStatus.OK, MediaType.XML_UTF_8, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ChangeResourceRecordSetsResponse xmlns=\"" + NS + "\"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id>"
                + "<Status>PENDING</Status><SubmittedAt>2026-12-07T10:00:00.000Z</SubmittedAt></ChangeInfo>"
                + "</ChangeResourceRecordSetsResponse>");
    }

    private static RRSet set(Element element) {
        Element name = only(element, "Name");
        Element type = only(element, "Type");
        Element ttl = only(element, "TTL");
        Element records = only(element, "ResourceRecords");
        Element alias = only(element, "AliasTarget");
        if (name == null || type == null || (alias == null) == (records == null) || (ttl == null) != (alias != null)) {
            return null;
        }
        String owner = name.getTextContent().toLowerCase(java.util.Locale.ROOT);
        owner = owner.endsWith(".") ? owner : owner + ".";
        if (alias != null) {
            Element dnsName = only(alias, "DNSName");
            return dnsName == null ? null : new RRSet(owner, type.getTextContent(), 0, List.of(), dnsName.getTextContent());
        }
        List<String> values = children(records, "ResourceRecord").stream()
                .map(r -> only(r, "Value")).map(v -> v == null ? null : v.getTextContent()).toList();
        if (values.isEmpty() || values.contains(null)) {
            return null;
        }
        return new RRSet(owner, type.getTextContent(), Long.parseLong(ttl.getTextContent()),
                       values.stream().sorted(Comparator.naturalOrder()).toList(), null);
    }

    private static Element only(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.size() == 1 ? found.get(0) : null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && name.equals(element.getLocalName())
                && NS.equals(element.getNamespaceURI())) {
                out.add(element);
            }
        }
        return out;
    }

    private HttpResponse violation(String what) {
        violations.add(what);
        return error(HttpStatus.BAD_REQUEST, "InvalidInput", "fake: " + what);
    }

    private static HttpResponse invalid(String message) {
        return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.XML_UTF_8, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<InvalidChangeBatch xmlns=\"" + NS + "\"><Messages><Message>" + message + "</Message></Messages>"
                + "<RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId></InvalidChangeBatch>");
    }

    private static HttpResponse error(HttpStatus status, String code, String message) {
        return HttpResponse.of(status, MediaType.XML_UTF_8, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                + message + "</Message></Error><RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId>"
                + "</ErrorResponse>");
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
