// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportPageTest {

    private static final List<JsonNode> RECORDS = List.of(Records.json(Records.switchedBeforePass1()), hostile());

    private static JsonNode hostile() {
        ObjectNode n = (ObjectNode) Records.json(Records.raisedAtPass3());
        n.put("vm", "<vm&1>");
        return n;
    }

    private static final List<Path> CHARTS = List.of(Path.of("plots/01-demo-phased.png"), Path.of("plots/02-_vm_1_.png"));

    @Test
    void render_everyChart_isShownByFileNameNextToThePage() {
        String html = ReportPage.render(RECORDS, null, CHARTS);
        assertTrue(html.contains("<img src=\"01-demo-phased.png\""), html);
        assertTrue(html.contains("<img src=\"02-_vm_1_.png\""), html);
        assertEquals(2, html.split("<figure ", -1).length - 1);
    }

    @Test
    void render_table_hasEveryColumnAndRowAndTheLegend() {
        String html = ReportPage.render(RECORDS, ReportTable.RowFacts.labels(List.of("enforce", "precopy")), CHARTS);
        for (String column : ReportTable.header()) {
            assertTrue(html.contains("<th>" + ReportPage.escape(column) + "</th>"), column);
        }
        assertEquals(2, html.split("<tr><td>", -1).length - 1);
        assertTrue(html.contains("<dt>TMT ms</dt><dd>total migration time, ms</dd>"), html);
        assertTrue(html.contains("<td>before pass 1</td>"), html);
    }

    @Test
    void render_vmNameWithMarkup_isEscapedEverywhere() {
        String html = ReportPage.render(RECORDS, null, CHARTS);
        assertFalse(html.contains("<vm&1>"), html);
        assertTrue(html.contains("<td>&lt;vm&amp;1&gt;</td>"), html);
        assertTrue(html.contains("alt=\"chart of 2: &lt;vm&amp;1&gt;, completed\""), html);
    }

    @Test
    void render_page_needsNothingFromOutside() {
        String html = ReportPage.render(RECORDS, null, CHARTS);
        assertFalse(html.contains("http:") || html.contains("https:") || html.contains("//"), "no external resource");
        assertFalse(html.contains("<script") || html.contains("<link"), html);
    }

    @Test
    void escape_htmlSpecials_becomeEntities() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", ReportPage.escape("<a href=\"x\">&'"));
    }
}
