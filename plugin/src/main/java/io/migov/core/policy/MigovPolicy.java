// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;
import io.migov.core.Assessment;
import io.migov.core.ControllerSettings;
import io.migov.core.ConvergenceDetector;
import io.migov.core.ConvergenceSettings;
import io.migov.core.IterationRecord;
import io.migov.core.MigrationController;

import java.util.Objects;

/**
 * migov's own policy: Algorithm 1 ({@link MigrationController}) driven by the
 * {@link ConvergenceDetector}, one assessment per pre-copy pass. Polls between passes carry nothing
 * the detector uses (it judges whole passes), so they are answered with none.
 */
final class MigovPolicy implements MigrationPolicy {

    private final ControllerSettings controllerSettings;
    private final ConvergenceSettings convergenceSettings;
    private ConvergenceDetector detector;
    private MigrationController controller;
    private IterationRecord lastPass;

    MigovPolicy(ControllerSettings controllerSettings, ConvergenceSettings convergenceSettings) {
        this.controllerSettings = Objects.requireNonNull(controllerSettings, "controllerSettings");
        this.convergenceSettings = Objects.requireNonNull(convergenceSettings, "convergenceSettings");
    }

    @Override
    public String name() {
        return Policies.MIGOV;
    }

    @Override
    public Action start(MigrationContext context) {
        detector = new ConvergenceDetector(convergenceSettings, context.allowedDowntimeMillis(), controllerSettings.maxIterations());
        controller = new MigrationController(controllerSettings, context.decision(), context.behaviour(), context.postCopyPermitted());
        return controller.start();
    }

    @Override
    public Action observe(Observation o) {
        if (!o.newPass() || o.iteration() < 1) {
            return Action.none(o.iteration(), "migov judges whole passes: waiting for the next one");
        }
        lastPass = o.toIterationRecord();
        Assessment a = detector.observe(lastPass);
        return controller.onPass(lastPass, a);
    }

    @Override
    public Action postCopyRefused(Observation last) {
        return controller.postCopyRefused(lastPass);
    }

    @Override
    public String plan() {
        return controller == null ? "not started" : controller.plan();
    }
}
