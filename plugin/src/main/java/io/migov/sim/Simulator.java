// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.core.policy.Policies;
import io.migov.core.policy.PolicySettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Replays migrations through policies offline, as the Caffeine simulator replays traces through
 * cache policies: every scenario under every policy, each run on a fresh policy instance over the
 * same deterministic transfer model, so differences between rows are the policies' alone.
 */
public final class Simulator {

    private final ModelParameters parameters;
    private final PolicySettings settings;

    public Simulator(ModelParameters parameters, PolicySettings settings) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Simulator(ModelParameters parameters) {
        this(parameters, PolicySettings.DEFAULTS);
    }

    /** Every scenario under every policy, scenario by scenario, policies in the order given. */
    public List<BenchRow> run(List<Scenario> scenarios, List<String> policies) {
        List<String> names = policies.stream().map(Policies::canonical).toList();
        List<BenchRow> rows = new ArrayList<>();
        for (Scenario s : scenarios) {
            for (String policy : names) {
                rows.add(run(s, policy));
            }
        }
        return rows;
    }

    public BenchRow run(Scenario scenario, String policy) {
        return runDetailed(scenario, policy).row();
    }

    MigrationRun.Result runDetailed(Scenario scenario, String policy) {
        return new MigrationRun(scenario, Policies.create(policy, settings), parameters).run();
    }
}
