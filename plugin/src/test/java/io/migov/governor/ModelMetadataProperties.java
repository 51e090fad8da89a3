// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.port.Hypervisor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The domain-metadata element that carries a model between hosts (it comes from another host, so
 * anything may be in it), property-tested: any text round-trips exactly; any element other than
 * {@code <migov:model version="1">} in migov's namespace, and any text that is not well-formed XML,
 * fails with one {@link IllegalArgumentException} ({@code metadata: …}, {@code metadata.version: …}
 * showing the value); never another exception, never output on stderr.
 */
class ModelMetadataProperties {

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("<>&'\"\r\n\t ]]{}:;=/x").ofMaxLength(40),
                Arbitraries.of("{\"format\":\"migov-markov\"}", "]]>", "<![CDATA[x]]>", "&amp;", "&#0;", "\r\n", "\uD83D\uDE00"));
    }

    /** Characters XML 1.0 cannot carry in any form. */
    private static boolean xmlLegal(String s) {
        return s.codePoints().allMatch(c -> c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF));
    }

    @Property(tries = 400)
    void toElementFromElement_anyText_roundTripsExactlyOrIsRefusedWhenXmlCannotCarryIt(@ForAll("texts") String text) {
        String element = ModelMetadata.toElement(text);
        try {
            assertEquals(text, ModelMetadata.fromElement(element));
        } catch (IllegalArgumentException e) {
            assertTrue(!xmlLegal(text), "legal text refused: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("metadata: not well-formed XML: "), e.getMessage());
        }
    }

    @Provide
    Arbitrary<String[]> wrappers() {
        return Combinators.combine(
                Arbitraries.of(Hypervisor.METADATA_NAMESPACE, "https://migov.io/xmlns/model/2", "", "urn:other"),
                Arbitraries.of("model", "Model", "other"),
                Arbitraries.oneOf(Arbitraries.of("1", "2", "", " 1", "1.0", "01"), Arbitraries.strings().withCharRange('!', '~').ofMaxLength(6)
                        .map(v -> v.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;"))),
                Arbitraries.of(true, false)).as((ns, name, version, hasVersion) -> new String[] {ns, name, version, hasVersion ? "y" : "n"});
    }

    @Property(tries = 300)
    void fromElement_foreignElementOrVersion_refusedShowingWhatItIs(@ForAll("wrappers") String[] w) {
        String ns = w[0];
        String name = w[1];
        String version = w[2];
        boolean hasVersion = w[3].equals("y");
        String tag = ns.isEmpty() ? name : "m:" + name; // no namespace: no prefix (an empty prefixed binding is not XML)
        String xml = "<" + tag + (ns.isEmpty() ? "" : " xmlns:m=\"" + ns + "\"") + (hasVersion ? " version=\"" + version + "\"" : "")
                + ">{}</" + tag + ">";
        boolean ours = ns.equals(Hypervisor.METADATA_NAMESPACE) && name.equals("model");
        String shownVersion = hasVersion ? version.replace("&amp;", "&").replace("&lt;", "<").replace("&quot;", "\"") : "";
        try {
            assertEquals("{}", ModelMetadata.fromElement(xml));
            assertTrue(ours && shownVersion.equals("1"), "accepted " + xml);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (!ours) {
                assertEquals("metadata: expected element {" + Hypervisor.METADATA_NAMESPACE + "}model, got {" + (ns.isEmpty() ? null : ns) + "}"
                        + name, m);
            } else if (m.startsWith("metadata.version: ")) {
                assertEquals("metadata.version: expected 1, got '" + shownVersion + "'", m);
            } else {
                throw new AssertionError("unexpected: " + m, e);
            }
        }
    }

    @Provide
    Arbitrary<String> garbled() {
        String valid = ModelMetadata.toElement("{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":0,\"rows\":[]}");
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, valid.length() - 1).map(n -> valid.substring(0, n)),
                Combinators.combine(Arbitraries.integers().between(0, valid.length()), Arbitraries.strings().all().ofMinLength(1).ofMaxLength(6))
                        .as((at, g) -> valid.substring(0, at) + g + valid.substring(at)),
                Arbitraries.strings().all().ofMaxLength(100),
                Arbitraries.of("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><migov:model xmlns:migov=\""
                        + Hypervisor.METADATA_NAMESPACE + "\" version=\"1\">&e;</migov:model>", "", "<", "<a/><b/>"));
    }

    @Property(tries = 300)
    void fromElement_garbledText_textOrIllegalArgumentAndNothingOnStderr(@ForAll("garbled") String xml) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ModelMetadata.fromElement(xml);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("metadata"), e.getMessage());
            assertTrue(!e.getMessage().contains("root:x:0:0"), "an external entity was read");
        } finally {
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "printed on stderr for " + xml);
    }

    @Example
    void toElement_textWithACarriageReturn_comesBackWithIt() {
        assertEquals("a\r\nb\rc", ModelMetadata.fromElement(ModelMetadata.toElement("a\r\nb\rc")));
    }
}
