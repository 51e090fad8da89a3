// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrategySelectorTest {

    private final DecisionCore core = DecisionCore.defaults();

    @ParameterizedTest(name = "cpu={0} mem={1} in={2} out={3} → {4}")
    @CsvSource({
            // memory high wins over everything
            "0,60,0,0,POST_COPY",
            "60,60,60,0,POST_COPY",
            "0,50,0,90,POST_COPY",
            // network-intensive (busier direction ≥ 25 %), mostly outgoing
            "0,0,0,30,POST_COPY",
            "0,0,0,60,POST_COPY",
            "0,30,30,60,POST_COPY",
            // mostly incoming
            "0,0,30,0,PRE_COPY",
            "0,0,60,30,PRE_COPY",
            "60,30,60,0,PRE_COPY",
            // balanced network: neither direction dominates
            "0,0,30,30,HYBRID",
            "0,0,60,60,HYBRID",
            // not network-intensive: both below 25 %
            "0,0,10,24.9,HYBRID",
            // idle, cpu-only, moderate memory
            "0,0,0,0,HYBRID",
            "90,0,0,0,HYBRID",
            "0,49.9,0,0,HYBRID"})
    void select_strategyTable(double cpu, double mem, double in, double out, Strategy expected) {
        int state = core.discretiser().stateOf(new Sample(cpu, mem, in, out));
        Decision d = core.selector().select(state);
        assertEquals(expected, d.strategy(), d.reason());
        assertEquals(state, d.state());
    }

    @Test
    void select_everyState_hasAReasonNamingItsLevels() {
        for (int s = 0; s < 81; s++) {
            Decision d = core.selector().select(s);
            assertTrue(d.reason().contains(core.discretiser().describe(s)), d.reason());
        }
    }

    @Test
    void select_countsPerStrategy_matchTheDefinitions() {
        int post = 0;
        int pre = 0;
        int hybrid = 0;
        for (int s = 0; s < 81; s++) {
            switch (core.selector().select(s).strategy()) {
                case POST_COPY -> post++;
                case PRE_COPY -> pre++;
                case HYBRID -> hybrid++;
            }
        }
        // memory high: 27 states; of the other 54, net-out: 3/9 → 18, net-in: 18, rest 18
        assertEquals(27 + 18, post);
        assertEquals(18, pre);
        assertEquals(18, hybrid);
    }

    @Test
    void select_schemeWithoutNetwork_isHybridUnlessMemoryHigh() {
        Discretiser research = Discretiser.builder().threshold(Resource.CPU, 50).threshold(Resource.MEMORY, 50).build();
        StrategySelector selector = new StrategySelector(new StateTraits(research));
        assertEquals(Strategy.HYBRID, selector.select(0).strategy());
        assertEquals(Strategy.POST_COPY, selector.select(1).strategy());
        assertEquals(Strategy.HYBRID, selector.select(2).strategy());
        assertEquals(Strategy.POST_COPY, selector.select(3).strategy());
    }

    @Test
    void select_writeIntensityModelled_decidesMemoryIntensityInsteadOfMemoryUse() {
        Discretiser both = Discretiser.of(StateSpace.USAGE_AND_WRITE, 25, 50);
        StrategySelector selector = new StrategySelector(new StateTraits(both));
        assertEquals(Strategy.HYBRID, selector.select(both.stateOf(new Sample(10, 95, 5, 0, 0))).strategy(),
                "holds 95 % but writes little: pre-copy converges");
        Decision writer = selector.select(both.stateOf(new Sample(10, 20, 70, 0, 0)));
        assertEquals(Strategy.POST_COPY, writer.strategy(), "writes at 70 % of the bandwidth");
        assertTrue(writer.reason().contains("write=high"), writer.reason());
    }

    @Test
    void select_writeSpace_countsPerStrategyMatchTheResearchTableWithWriteForMem() {
        StrategySelector selector = new StrategySelector(new StateTraits(Discretiser.of(StateSpace.WRITE, 25, 50)));
        int post = 0;
        for (int s = 0; s < 81; s++) {
            post += selector.select(s).strategy() == Strategy.POST_COPY ? 1 : 0;
        }
        assertEquals(27 + 18, post);
    }
}
