// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringReader;
import java.io.StringWriter;

/**
 * libvirt stores migov's element in its namespace ({@code <migov:model xmlns:migov="…">} in the
 * domain XML) but takes and returns it without: virDomainSetMetadata(ELEMENT) declares
 * {@code xmlns:KEY="URI"} on the root itself and fails with "failed to create a new XML namespace"
 * when the element already declares that prefix, and virDomainGetMetadata returns the bare
 * {@code <model …>…</model>}. The port speaks the namespaced element both ways; this converts. Pure.
 */
final class MetadataXml {

    private MetadataXml() {
    }

    /**
     * The element with its root taken out of {@code namespace} (children, text and other
     * attributes unchanged); an element in no namespace is returned as it is.
     *
     * @throws IllegalArgumentException not well-formed XML, or a root in another namespace
     */
    static String forSetMetadata(String elementXml, String namespace) {
        Document in = parse(elementXml);
        Element root = in.getDocumentElement();
        String ns = root.getNamespaceURI();
        if (ns == null) {
            return elementXml;
        }
        if (!ns.equals(namespace)) {
            throw new IllegalArgumentException("metadata element is in namespace " + ns + ", not " + namespace);
        }
        Document out = newBuilder().newDocument();
        Element bare = out.createElementNS(null, root.getLocalName());
        NamedNodeMap attrs = root.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Node a = attrs.item(i);
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
                continue; // namespace declarations: libvirt writes its own
            }
            bare.setAttributeNodeNS((org.w3c.dom.Attr) out.importNode(a, true));
        }
        for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
            bare.appendChild(out.importNode(c, true));
        }
        out.appendChild(bare);
        return serialize(out);
    }

    /**
     * The element libvirt returned, put back into {@code namespace} with {@code prefix} on its
     * root (children, text and attributes unchanged); an element already in a namespace is
     * returned as it is.
     *
     * @throws IllegalArgumentException not well-formed XML
     */
    static String fromGetMetadata(String bareXml, String namespace, String prefix) {
        Document in = parse(bareXml);
        Element root = in.getDocumentElement();
        if (root.getNamespaceURI() != null) {
            return bareXml;
        }
        Document out = newBuilder().newDocument();
        Element named = out.createElementNS(namespace, prefix + ":" + root.getLocalName());
        named.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + prefix, namespace);
        NamedNodeMap attrs = root.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            named.setAttributeNodeNS((org.w3c.dom.Attr) out.importNode(attrs.item(i), true));
        }
        for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
            named.appendChild(out.importNode(c, true));
        }
        out.appendChild(named);
        return serialize(out);
    }

    private static Document parse(String xml) {
        try {
            return newBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | java.io.IOException e) {
            throw new IllegalArgumentException("metadata element is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /**
     * One parser and one serializer per thread, reused: looking the JAXP factories up and building
     * them was most of the daemon's CPU at 500 VMs (a metadata write every 30 s per VM).
     */
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(MetadataXml::createBuilder);
    private static final ThreadLocal<Transformer> SERIALIZER = ThreadLocal.withInitial(MetadataXml::createSerializer);
    private static final org.xml.sax.ErrorHandler RETHROW = new org.xml.sax.helpers.DefaultHandler() {
        @Override
        public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
            throw e; // reported by the caller, not printed to stderr
        }

        @Override
        public void error(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private static DocumentBuilder newBuilder() {
        DocumentBuilder b = BUILDER.get();
        b.reset(); // back to its configuration as built, which drops the error handler: set it again
        b.setErrorHandler(RETHROW);
        return b;
    }

    private static DocumentBuilder createBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An identity transform holds no state between documents; only its output properties, set here once. */
    private static Transformer createSerializer() {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            return t;
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serialize(Document doc) {
        try {
            Transformer t = SERIALIZER.get();
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }
}
