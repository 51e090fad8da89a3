// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import io.migov.port.StorageCopy;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The disks of a domain XML that a storage migration copies by default (libvirt copies the disks
 * that are not shared, not read-only and have a source): {@code <disk type='file|block'
 * device='disk'>} with a source and without {@code <readonly/>} or {@code <shareable/>}.
 */
final class DiskXml {

    private DiskXml() {
    }

    static List<StorageCopy.Disk> copiedDisks(String domainXml) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(domainXml)));
        } catch (Exception e) {
            throw new IllegalArgumentException("domain XML: not well-formed (" + e.getMessage() + ")", e);
        }
        List<StorageCopy.Disk> out = new ArrayList<>();
        NodeList disks = doc.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            String type = disk.getAttribute("type");
            String device = disk.getAttribute("device");
            if (!(type.equals("file") || type.equals("block")) || !(device.isEmpty() || device.equals("disk"))) {
                continue;
            }
            if (child(disk, "readonly") != null || child(disk, "shareable") != null) {
                continue;
            }
            Element source = child(disk, "source");
            Element target = child(disk, "target");
            if (source == null || target == null || target.getAttribute("dev").isEmpty()) {
                continue;
            }
            String path = source.getAttribute(type.equals("file") ? "file" : "dev");
            if (!path.isEmpty()) {
                out.add(new StorageCopy.Disk(target.getAttribute("dev"), path));
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
