// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;
import io.migov.core.ActionKind;
import io.migov.core.ControllerSettings;
import io.migov.core.ConvergenceDetector;
import io.migov.core.ConvergenceSettings;
import io.migov.core.IterationRecord;
import io.migov.core.MigrationController;
import io.migov.core.Strategy;
import io.migov.core.Verdict;

import java.util.Objects;

/**
 * The research's Algorithm 1 taken literally, so its own rule is measured beside migov's: the
 * strategy table as migov reads it, and then "switch at iteration m, or when the dirty rate is
 * decaying" (the research's convergence point) — with none of migov's refinements: no
 * WILL_COMPLETE guard (a migration about to finish is switched too), no stall detection. Without
 * post-copy it raises the downtime at the same point, as migov does.
 */
final class Algorithm1Policy implements MigrationPolicy {

    private final ControllerSettings settings;
    private final ConvergenceSettings convergence;
    /** Only its dirty-rate trend is used: the research's "decaying" test, with migov's noise margin. */
    private ConvergenceDetector trend;
    private MigrationContext context;
    private boolean postCopyPermitted;
    private boolean passive;
    private Action taken;
    private IterationRecord lastPass;

    Algorithm1Policy(ControllerSettings settings, ConvergenceSettings convergence) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.convergence = Objects.requireNonNull(convergence, "convergence");
    }

    @Override
    public String name() {
        return Policies.ALGORITHM1;
    }

    @Override
    public Action start(MigrationContext c) {
        context = c;
        postCopyPermitted = c.postCopyPermitted();
        trend = new ConvergenceDetector(convergence, c.allowedDowntimeMillis());
        Strategy s = c.decision().strategy();
        if (s == Strategy.POST_COPY && postCopyPermitted) {
            return act(new Action(ActionKind.SWITCH_TO_POSTCOPY, 0, "algorithm1: strategy POST_COPY: switch immediately", 0));
        }
        if (s == Strategy.PRE_COPY && !c.behaviour().isMemoryIntensive(settings.memoryIntensiveShare())) {
            passive = true;
            return Action.none(0, "algorithm1: strategy PRE_COPY, look-ahead not memory-intensive: vanilla pre-copy");
        }
        return Action.none(0, "algorithm1: strategy " + s + ": " + plan());
    }

    @Override
    public Action observe(Observation o) {
        if (taken != null) {
            return Action.alreadyActed(o.iteration(), taken);
        }
        if (passive || !o.newPass() || o.iteration() < 1) {
            return Action.none(o.iteration(), plan());
        }
        lastPass = o.toIterationRecord();
        Verdict t = trend.observe(lastPass).trend();
        if (context.decision().strategy() == Strategy.POST_COPY) {
            // post-copy wanted but not permitted: the research has no answer; finish after the first full pass
            return o.iteration() >= MigrationController.FIRST_FULL_PASS_DONE
                    ? act(raise(lastPass, "strategy POST_COPY, post-copy not permitted")) : Action.none(o.iteration(), plan());
        }
        String why;
        if (o.iteration() >= settings.maxIterations()) {
            why = "pass " + o.iteration() + " reached m = " + settings.maxIterations();
        } else if (t == Verdict.DECAYING) {
            why = "dirty rate decaying at pass " + o.iteration();
        } else {
            return Action.none(o.iteration(), "pass " + o.iteration() + " of " + settings.maxIterations() + ", dirty rate " + t);
        }
        String prefix = "algorithm1: strategy " + context.decision().strategy() + ": " + why;
        return postCopyPermitted ? act(new Action(ActionKind.SWITCH_TO_POSTCOPY, o.iteration(), prefix, 0))
                : act(raise(lastPass, prefix + ", post-copy not permitted"));
    }

    @Override
    public Action postCopyRefused(Observation last) {
        if (taken != null && taken.kind() != ActionKind.SWITCH_TO_POSTCOPY) {
            return Action.none(last == null ? 0 : last.iteration(), "algorithm1: no switch to withdraw");
        }
        postCopyPermitted = false;
        Action refused = taken;
        taken = null;
        if (refused == null || lastPass == null) {
            return Action.none(last == null ? 0 : last.iteration(), "algorithm1: post-copy refused: will raise the downtime at the next pass");
        }
        return act(raise(lastPass, refused.reason() + "; post-copy refused"));
    }

    private Action raise(IterationRecord r, String why) {
        return MigrationController.raiseDowntimeToFinishNow(r, why, settings.fallbackMaxDowntimeMillis());
    }

    private Action act(Action a) {
        taken = a;
        return a;
    }

    @Override
    public String plan() {
        if (taken != null) {
            return "done: " + taken.kind().recordName() + " at pass " + taken.iteration();
        }
        if (passive) {
            return "none: vanilla pre-copy";
        }
        return (postCopyPermitted ? "switch_to_postcopy" : "raise_downtime") + " at pass " + settings.maxIterations()
                + " or when the dirty rate decays";
    }
}
