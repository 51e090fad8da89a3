// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextGridTest {

    @Test
    void text_headerAndRows_eachCellInItsColumn() {
        List<String> header = List.of("VM", "STATE", "REMAINING MiB");
        List<List<String>> rows = List.of(List.of("a-long-vm-name", "running", "12"), List.of("b", "-", "1234567"));
        String text = TextGrid.text(header, rows);
        List<List<String>> back = RenderedTable.rows(text);
        assertEquals(header, back.get(0));
        assertEquals(rows, back.subList(1, back.size()));
    }

    @Test
    void text_columnsTwoSpacesApartNoTrailingBlanks() {
        String text = TextGrid.text(List.of("A", "B"), List.of(List.of("xyz", "1")));
        assertEquals(List.of("A    B", "---  -", "xyz  1"), text.lines().toList());
    }

    @Test
    void text_picocliMarkupInACell_shownAsItIs() {
        List<List<String>> rows = List.of(List.of("@|bold vm|@", "a@|b"), List.of("@|nosuchstyle x|@", "|@@|"));
        assertEquals(rows, RenderedTable.rows(TextGrid.text(List.of("NAME", "NOTE"), rows)).subList(1, 3));
    }

    @Test
    void text_wideCharacters_countDouble() {
        List<List<String>> rows = List.of(List.of("仮想マシン", "1"), List.of("vm", "2"));
        String text = TextGrid.text(List.of("VM", "N"), rows);
        List<String> lines = text.lines().toList();
        assertEquals("----------  -", lines.get(1), "five wide characters take ten columns");
        assertEquals("vm          2", lines.get(3));
    }

    @Test
    void aligned_noHeader_keysPaddedToTheLongest() {
        assertEquals("mode         enforce\nvmsProfiled  1\nx            -\n",
                TextGrid.aligned(List.of(List.of("mode", "enforce"), List.of("vmsProfiled", "1"), List.of("x", "-"))));
    }

    @Test
    void aligned_emptyCellsAndNoRows() {
        assertEquals("a     b\n      c\n", TextGrid.aligned(List.of(List.of("a", "", "b"), List.of("", "", "c"))));
        assertEquals("", TextGrid.aligned(List.of()));
    }

    @Test
    void markdown_staysMarkdown() {
        assertEquals("| a | b |\n|---|---|\n| x\\|y | 1 |\n", TextGrid.markdown(List.of("a", "b"), List.of(List.of("x|y", "1"))));
    }
}
