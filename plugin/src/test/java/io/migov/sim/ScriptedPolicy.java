// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.core.Action;
import io.migov.core.policy.MigrationContext;
import io.migov.core.policy.MigrationPolicy;
import io.migov.core.policy.Observation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A policy for tests: keeps every observation it is fed and answers with a script. */
final class ScriptedPolicy implements MigrationPolicy {

    final List<Observation> observations = new ArrayList<>();
    private final Function<Observation, Action> script;
    MigrationContext context;
    int refusals;

    ScriptedPolicy(Function<Observation, Action> script) {
        this.script = script;
    }

    static ScriptedPolicy passive() {
        return new ScriptedPolicy(o -> Action.none(o.iteration(), "watching"));
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public Action start(MigrationContext c) {
        context = c;
        return Action.none(0, "started");
    }

    @Override
    public Action observe(Observation o) {
        observations.add(o);
        return script.apply(o);
    }

    @Override
    public Action postCopyRefused(Observation last) {
        refusals++;
        return Action.none(last == null ? 0 : last.iteration(), "refused");
    }

    @Override
    public String plan() {
        return "scripted";
    }

    List<Observation> boundaries() {
        return observations.stream().filter(Observation::newPass).toList();
    }
}
