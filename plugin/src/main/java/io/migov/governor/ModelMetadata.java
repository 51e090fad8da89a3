package io.migov.governor;

import io.migov.port.Hypervisor;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.StringReader;

/**
 * The domain-metadata element that carries a VM's model across hosts:
 * {@code <migov:model xmlns:migov="https://migov.io/xmlns/model/1" version="1">{json}</migov:model>}.
 */
public final class ModelMetadata {

    public static final String ELEMENT = "model";
    public static final String VERSION = "1";

    private ModelMetadata() {
    }

    public static String toElement(String modelJson) {
        return "<" + Hypervisor.METADATA_KEY + ":" + ELEMENT + " xmlns:" + Hypervisor.METADATA_KEY + "=\""
                + Hypervisor.METADATA_NAMESPACE + "\" version=\"" + VERSION + "\">" + escape(modelJson)
                + "</" + Hypervisor.METADATA_KEY + ":" + ELEMENT + ">";
    }

    /** The model JSON inside a metadata element; rejects foreign or other-version elements. */
    public static String fromElement(String xml) {
        Document doc;
        try {
            doc = parser().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalArgumentException("metadata: not well-formed XML: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!Hypervisor.METADATA_NAMESPACE.equals(root.getNamespaceURI()) || !ELEMENT.equals(root.getLocalName())) {
            throw new IllegalArgumentException("metadata: expected element {" + Hypervisor.METADATA_NAMESPACE + "}" + ELEMENT
                    + ", got {" + root.getNamespaceURI() + "}" + root.getLocalName());
        }
        String version = root.getAttribute("version");
        if (!VERSION.equals(version)) {
            throw new IllegalArgumentException("metadata.version: expected " + VERSION + ", got '" + version + "'");
        }
        return root.getTextContent();
    }

    private static DocumentBuilder parser() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        // metadata comes from other hosts: no DTDs, no external entities
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        // the failure is the exception (and its message); the default handler would also print it to stderr
        b.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        return b;
    }

    private static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\r' -> sb.append("&#13;"); // a parser would read a raw CR as a line feed
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
