// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.port.Hypervisor;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

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
            doc = SecureXml.parser().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalArgumentException("metadata: not well-formed XML: " + e.getMessage());
        }
        return fromElement(doc.getDocumentElement());
    }

    /** The model JSON inside a parsed metadata element (e.g. found in a whole domain XML); rejects foreign or other-version elements. */
    public static String fromElement(Element root) {
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
