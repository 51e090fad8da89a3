// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.governor.ModelMetadata;
import io.migov.governor.SecureXml;
import io.migov.port.Hypervisor;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the daemon takes from a libvirt domain XML that the hook handed over at {@code migrate begin}:
 * the VM's {@code <uuid>} (lower case) and the JSON of its migov model, the element in
 * {@code <metadata>} in migov's namespace ({@link ModelMetadata}), if it has one.
 *
 * @param uuid      the domain's UUID, 8-4-4-4-12 lower-case hex
 * @param modelJson the model carried in the metadata; empty for a VM without one
 */
record DomainXml(String uuid, Optional<String> modelJson) {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Parses {@code length} bytes of {@code data} from {@code offset} (the encoding as the XML declares
     * it, UTF-8 without one).
     *
     * @throws IllegalArgumentException naming what is wrong: not well-formed (also: any DTD, so no
     *                                  external or expanding entities), not a {@code <domain>}, no
     *                                  valid {@code <uuid>}, a migov element that is not a model of
     *                                  this version
     */
    static DomainXml parse(byte[] data, int offset, int length) {
        Document doc;
        try {
            doc = SecureXml.parser().parse(new InputSource(new ByteArrayInputStream(data, offset, length)));
        } catch (SAXParseException e) {
            throw new IllegalArgumentException("domain XML: not well-formed (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage() + ")");
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new IllegalArgumentException("domain XML: not well-formed (" + e.getMessage() + ")");
        }
        Element root = doc.getDocumentElement();
        if (root.getNamespaceURI() != null || !"domain".equals(root.getLocalName())) {
            throw new IllegalArgumentException("domain XML: expected the root element <domain>, got " + name(root));
        }
        Element uuidElement = onlyChild(root, "uuid")
                .orElseThrow(() -> new IllegalArgumentException("domain XML: uuid: no <uuid> in <domain>"));
        String uuid = uuidElement.getTextContent().strip().toLowerCase(Locale.ROOT);
        if (!UUID.matcher(uuid).matches()) {
            throw new IllegalArgumentException("domain XML: uuid: expected 8-4-4-4-12 hex digits, got '"
                    + HookSpool.printable(uuid, 80) + "'");
        }
        return new DomainXml(uuid, onlyChild(root, "metadata").flatMap(DomainXml::model));
    }

    /** The model in {@code <metadata>}: libvirt keeps one element per namespace there. */
    private static Optional<String> model(Element metadata) {
        List<Element> ours = new ArrayList<>();
        for (Node n = metadata.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && Hypervisor.METADATA_NAMESPACE.equals(e.getNamespaceURI())) {
                ours.add(e);
            }
        }
        if (ours.isEmpty()) {
            return Optional.empty();
        }
        if (ours.size() > 1) {
            throw new IllegalArgumentException("domain XML: metadata: " + ours.size() + " elements in " + Hypervisor.METADATA_NAMESPACE
                    + ", expected one");
        }
        try {
            return Optional.of(ModelMetadata.fromElement(ours.get(0)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("domain XML: " + HookSpool.printable(e.getMessage(), 400));
        }
    }

    /** The one child element {@code <name>} (no namespace) of {@code parent}; an error if there are more. */
    private static Optional<Element> onlyChild(Element parent, String name) {
        Element found = null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNamespaceURI() == null && name.equals(e.getLocalName())) {
                if (found != null) {
                    throw new IllegalArgumentException("domain XML: " + name + ": more than one <" + name + "> in <"
                            + parent.getLocalName() + ">");
                }
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    private static String name(Element e) {
        String local = HookSpool.printable(String.valueOf(e.getLocalName()), 80);
        return e.getNamespaceURI() == null ? "<" + local + ">"
                : "{" + HookSpool.printable(e.getNamespaceURI(), 200) + "}" + local;
    }
}
