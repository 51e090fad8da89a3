// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetadataXmlTest {

    private static final String NS = "https://migov.io/xmlns/model/1";

    @Test
    void forSetMetadata_namespacedElement_dropsRootNamespaceKeepsAttributesAndBody() {
        String in = "<migov:model xmlns:migov=\"" + NS + "\" version=\"1\">{\"a\":[1,2]} &amp; &lt;x&gt;</migov:model>";
        assertEquals("<model version=\"1\">{\"a\":[1,2]} &amp; &lt;x&gt;</model>", MetadataXml.forSetMetadata(in, NS));
    }

    @Test
    void forSetMetadata_defaultNamespace_dropsIt() {
        String in = "<model xmlns=\"" + NS + "\" v=\"2\"><c>3</c></model>";
        assertEquals("<model v=\"2\"><c xmlns=\"" + NS + "\">3</c></model>", MetadataXml.forSetMetadata(in, NS));
    }

    @Test
    void forSetMetadata_bareElement_isUnchanged() {
        String in = "<model version=\"1\">x</model>";
        assertEquals(in, MetadataXml.forSetMetadata(in, NS));
    }

    @Test
    void forSetMetadata_foreignNamespace_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> MetadataXml.forSetMetadata("<o:model xmlns:o=\"urn:other\"/>", NS));
    }

    @Test
    void forSetMetadata_parserReusedAfterAFailure_convertsTheNextElementAlike() {
        String in = "<migov:model xmlns:migov=\"" + NS + "\" version=\"1\">x</migov:model>";
        String first = MetadataXml.forSetMetadata(in, NS);
        assertThrows(IllegalArgumentException.class, () -> MetadataXml.forSetMetadata("<model><", NS));
        assertEquals(first, MetadataXml.forSetMetadata(in, NS));
        assertEquals(in, MetadataXml.fromGetMetadata(first, NS, "migov"));
    }

    @Test
    void forSetMetadata_notWellFormed_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> MetadataXml.forSetMetadata("<model>", NS));
    }

    @Test
    void forSetMetadata_doctype_isRejected() {
        String xxe = "<!DOCTYPE m [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><model>&e;</model>";
        assertThrows(IllegalArgumentException.class, () -> MetadataXml.forSetMetadata(xxe, NS));
    }

    @Test
    void fromGetMetadata_bareElementFromLibvirt_getsPrefixAndNamespaceBack() {
        // what virDomainGetMetadata returned on the lab (libvirt 11.3)
        String fromLibvirt = "<model version=\"1\">{\"n\":[1,2,3]}</model>";
        assertEquals("<migov:model xmlns:migov=\"" + NS + "\" version=\"1\">{\"n\":[1,2,3]}</migov:model>",
                MetadataXml.fromGetMetadata(fromLibvirt, NS, "migov"));
    }

    @Test
    void roundTrip_namespacedElement_comesBackIdentical() {
        String element = "<migov:model xmlns:migov=\"" + NS + "\" version=\"1\">{\"n\":1}</migov:model>";
        String stored = MetadataXml.forSetMetadata(element, NS);
        assertEquals(element, MetadataXml.fromGetMetadata(stored, NS, "migov"));
    }
}
