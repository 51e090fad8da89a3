// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscretiserTest {

    private final Discretiser scheme = Discretiser.defaultScheme();

    @Test
    void defaultScheme_has81States() {
        assertEquals(81, scheme.stateCount());
    }

    @Test
    void stateOf_cpuHighMemHighRestLow_is72() {
        assertEquals(72, scheme.stateOf(new Sample(80, 62.8, 0, 0)));
    }

    @ParameterizedTest(name = "{0}% → level {1}")
    @CsvSource({"0,0", "24.9,0", "25,1", "49.99,1", "50,2", "50.1,2", "100,2"})
    void level_atThresholdEdges_countsThresholdsReached(double percent, int level) {
        assertEquals(level, scheme.level(Resource.CPU, percent));
    }

    @ParameterizedTest(name = "cpu={0} mem={1} in={2} out={3} → {4}")
    @CsvSource({
            "0,0,0,0,0",
            "0,0,0,30,1",
            "0,0,0,60,2",
            "0,0,30,0,3",
            "0,30,0,0,9",
            "30,0,0,0,27",
            "60,60,60,60,80",
            "12,45,12,5,9"})
    void stateOf_isCpuTimes27PlusMemTimes9PlusInTimes3PlusOut(double cpu, double mem, double in, double out, int state) {
        assertEquals(state, scheme.stateOf(new Sample(cpu, mem, in, out)));
    }

    @Test
    void levelOf_decodesEveryState() {
        for (int s = 0; s < 81; s++) {
            int encoded = scheme.levelOf(s, Resource.CPU) * 27 + scheme.levelOf(s, Resource.MEMORY) * 9
                    + scheme.levelOf(s, Resource.NET_IN) * 3 + scheme.levelOf(s, Resource.NET_OUT);
            assertEquals(s, encoded);
        }
    }

    @Test
    void describe_namesEachLevel() {
        assertEquals("cpu=high,mem=high,net_in=low,net_out=low", scheme.describe(72));
        assertEquals("cpu=low,mem=moderate,net_in=low,net_out=low", scheme.describe(9));
    }

    @Test
    void researchExample_twoResourcesTwoLevels_isExpressible() {
        Discretiser research = Discretiser.builder().threshold(Resource.CPU, 50).threshold(Resource.MEMORY, 50).build();
        assertEquals(4, research.stateCount());
        assertEquals(0, research.stateOf(new Sample(25, 25, 90, 90)));
        assertEquals(1, research.stateOf(new Sample(25, 60, 0, 0)));
        assertEquals(2, research.stateOf(new Sample(60, 25, 0, 0)));
        assertEquals(3, research.stateOf(new Sample(60, 60, 0, 0)));
        assertFalse(research.models(Resource.NET_IN));
        assertEquals(-1, research.levelOf(3, Resource.NET_IN));
        assertEquals("cpu=high,mem=low", research.describe(2));
    }

    @Test
    void sample_nan_isRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sample(10, Double.NaN, 0, 0));
        assertTrue(e.getMessage().startsWith("mem:"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void sample_negative_isRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sample(-0.5, 0, 0, 0));
        assertTrue(e.getMessage().startsWith("cpu:") && e.getMessage().contains("-0.5"), e.getMessage());
    }

    @Test
    void sample_over100_isRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sample(0, 0, 0, 100.5));
        assertTrue(e.getMessage().startsWith("net_out:") && e.getMessage().contains("100.5"), e.getMessage());
    }

    @Test
    void level_outOfRangeValue_isRejectedNamingTheResource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scheme.level(Resource.NET_IN, 101));
        assertTrue(e.getMessage().startsWith("net_in:"), e.getMessage());
    }

    @Test
    void builder_unorderedThresholds_areRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Discretiser.builder().threshold(Resource.CPU, 50, 25).build());
        assertTrue(e.getMessage().startsWith("thresholds.cpu:"), e.getMessage());
        assertTrue(e.getMessage().contains("50.0 then 25.0"), e.getMessage());
    }

    @Test
    void builder_thresholdOutOfRangeOrNan_isRejectedNamingTheField() {
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> Discretiser.builder().threshold(Resource.MEMORY, 25, 150).build());
        assertTrue(high.getMessage().startsWith("thresholds.mem[1]:") && high.getMessage().contains("150.0"), high.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Discretiser.builder().threshold(Resource.MEMORY, Double.NaN).build());
        assertTrue(nan.getMessage().startsWith("thresholds.mem[0]:") && nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Discretiser.builder().threshold(Resource.NET_IN, -5).build());
        assertTrue(negative.getMessage().startsWith("thresholds.net_in[0]:"), negative.getMessage());
    }

    @Test
    void builder_duplicateOrMissingResources_areRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Discretiser.builder().threshold(Resource.CPU, 50).threshold(Resource.CPU, 25));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Discretiser.builder().build());
        assertTrue(none.getMessage().startsWith("resources:"), none.getMessage());
    }

    @Test
    void requireState_outOfRange_isRejectedNamingTheState() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scheme.describe(81));
        assertTrue(e.getMessage().startsWith("state:") && e.getMessage().contains("81"), e.getMessage());
    }

    @Test
    void of_writeSpace_replacesMemoryUseWithWriteIntensity() {
        Discretiser d = Discretiser.of(StateSpace.WRITE, 25, 50);
        assertEquals(81, d.stateCount());
        assertEquals(List.of(Resource.CPU, Resource.WRITE, Resource.NET_IN, Resource.NET_OUT), d.resources());
        // cpu·27 + write·9 + in·3 + out; memory use is not read at all
        assertEquals(2 * 27 + 1 * 9, d.stateOf(new Sample(90, 100, 30, 0, 0)));
        assertEquals(2 * 27 + 1 * 9, d.stateOf(new Sample(90, 0, 30, 0, 0)));
    }

    @Test
    void of_usageAndWrite_has243StatesWithWriteAfterMemory() {
        Discretiser d = Discretiser.of(StateSpace.USAGE_AND_WRITE, 25, 50);
        assertEquals(243, d.stateCount());
        assertEquals("cpu=low,mem=high,write=moderate,net_in=low,net_out=high", d.describe(d.stateOf(new Sample(0, 60, 30, 0, 99))));
        // cpu·81 + mem·27 + write·9 + in·3 + out
        assertEquals(2 * 27 + 9 + 2, d.stateOf(new Sample(0, 60, 30, 0, 99)));
    }

    @Test
    void of_usage_isTheResearchScheme() {
        assertEquals(Discretiser.defaultScheme().toString(), Discretiser.of(StateSpace.USAGE, 25, 50).toString());
        assertEquals(StateSpace.USAGE_AND_WRITE, StateSpace.fromConfigName("usage+write"));
        assertEquals("stateSpace: expected one of usage, write, usage+write, got 'dirty'",
                assertThrows(IllegalArgumentException.class, () -> StateSpace.fromConfigName("dirty")).getMessage());
    }
}
