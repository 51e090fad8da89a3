// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The policies the daemon, {@code migov simulate} and the bench can run, by name. A name is
 * validated once ({@link #canonical}) and every migration gets a fresh instance ({@link #create}).
 */
public final class Policies {

    public static final String MIGOV = "migov";
    public static final String ALGORITHM1 = "algorithm1";
    public static final String PRECOPY = "precopy";
    public static final String POSTCOPY_AFTER_PRECOPY = "postcopy-after-precopy";
    public static final String ALWAYS_POSTCOPY = "always-postcopy";
    public static final String NOVA = "nova";
    public static final String NOVA_FORCE_COMPLETE = "nova-force-complete";
    public static final String KUBEVIRT_STALL = "kubevirt-stall";
    public static final String DEFAULT = MIGOV;

    private static final Pattern HYBRID = Pattern.compile("hybrid\\((\\d{1,4})\\)");
    private static final int MAX_HYBRID_M = 1000;

    /** Every policy the bench compares, in the order tables list them. */
    public static final List<String> SUITE = List.of(MIGOV, ALGORITHM1, PRECOPY, POSTCOPY_AFTER_PRECOPY, "hybrid(3)", "hybrid(4)",
            "hybrid(5)", ALWAYS_POSTCOPY, NOVA, NOVA_FORCE_COMPLETE, KUBEVIRT_STALL);

    private Policies() {
    }

    /**
     * The canonical form of a policy name (trimmed, lower case), or an {@link IllegalArgumentException}
     * naming the field and the value.
     */
    public static String canonical(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        switch (n) {
            case MIGOV, ALGORITHM1, PRECOPY, POSTCOPY_AFTER_PRECOPY, ALWAYS_POSTCOPY, NOVA, NOVA_FORCE_COMPLETE, KUBEVIRT_STALL -> {
                return n;
            }
            default -> {
                Matcher m = HYBRID.matcher(n);
                if (m.matches()) {
                    int passes = Integer.parseInt(m.group(1));
                    if (passes >= 1 && passes <= MAX_HYBRID_M) {
                        return "hybrid(" + passes + ")";
                    }
                }
                throw new IllegalArgumentException("policy: expected one of " + String.join(", ", List.of(MIGOV, ALGORITHM1, PRECOPY,
                        POSTCOPY_AFTER_PRECOPY, "hybrid(m) with m 1.." + MAX_HYBRID_M, ALWAYS_POSTCOPY, NOVA, NOVA_FORCE_COMPLETE,
                        KUBEVIRT_STALL)) + ", got '" + name + "'");
            }
        }
    }

    /** A fresh policy for one migration. */
    public static MigrationPolicy create(String name, PolicySettings settings) {
        String n = canonical(name);
        return switch (n) {
            case MIGOV -> new MigovPolicy(settings.controller(), settings.convergence());
            case ALGORITHM1 -> new Algorithm1Policy(settings.controller(), settings.convergence());
            case PRECOPY -> new PreCopyPolicy();
            case POSTCOPY_AFTER_PRECOPY -> new PostCopyAfterPreCopyPolicy();
            case ALWAYS_POSTCOPY -> new AlwaysPostCopyPolicy();
            case NOVA -> new NovaPolicy(NovaPolicy.TimeoutAction.ABORT);
            case NOVA_FORCE_COMPLETE -> new NovaPolicy(NovaPolicy.TimeoutAction.FORCE_COMPLETE);
            case KUBEVIRT_STALL -> new KubevirtStallPolicy(settings.kubevirtStallWindowSeconds() * 1000L,
                    settings.kubevirtCompletionTimeoutPerGiB());
            default -> {
                Matcher m = HYBRID.matcher(n);
                if (!m.matches()) {
                    throw new IllegalStateException("canonical name not handled: " + n);
                }
                yield new HybridPolicy(Integer.parseInt(m.group(1)));
            }
        };
    }
}
