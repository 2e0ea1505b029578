package dev.outlast.frontdoor.dns;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.core.SdkBytes;

/**
 * Route 53's words from an error body the SDK did not take apart: {@code <InvalidChangeBatch><Messages>
 * <Message>...} (code: the root element's name) or {@code <ErrorResponse><Error><Code>...<Message>...}.
 *
 * @param code    the error code, {@code "unknown"} when the body has none
 * @param message every {@code Message} joined with {@code "; "}, or {@code "no message"}
 */
record Route53ErrorBody(String code, String message) {

    static Route53ErrorBody parse(SdkBytes raw) {
        if (raw == null) {
            return new Route53ErrorBody("unknown", "no message");
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(raw.asByteArray()));
            NodeList codes = document.getElementsByTagNameNS("*", "Code");
            String code = codes.getLength() > 0 ? codes.item(0).getTextContent()
                    : document.getDocumentElement().getLocalName();
            NodeList messages = document.getElementsByTagNameNS("*", "Message");
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < messages.getLength(); i++) {
                texts.add(messages.item(i).getTextContent().strip());
            }
            return new Route53ErrorBody(code, texts.isEmpty() ? "no message" : String.join("; ", texts));
        } catch (Exception e) {
            return new Route53ErrorBody("unknown", "unreadable error body");
        }
    }
}
