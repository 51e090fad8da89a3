// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

/** MXBean proxy interfaces of the MBeans' scalar members, as a JMX client sees them (no migov class is needed remotely). */
final class Proxies {
    private Proxies() {
    }

    public interface State {
        String getVersion();

        long getUptimeSeconds();

        String getLibvirtUri();

        boolean isLibvirtConnected();

        int getVmsProfiled();

        long getTicks();

        long getMissedTicks();

        long getMigrationsSeen();

        long getMigrationsSteered();

        long getSwitches();

        long getFallbacks();

        long getErrors();

        int getMigrationsActive();

        long getPostCopyFailures();

        String getVmsPausedPostCopyFailed();

        boolean isSteeringPaused();

        String getRemoteJmxUrl();

        String pauseSteering();

        String resumeSteering();
    }

    public interface Tunables {
        String getMode();

        void setMode(String v);

        int getLookAhead();

        void setLookAhead(int v);

        int getMaxIterations();

        void setMaxIterations(int v);

        double getMemoryIntensiveShare();

        void setMemoryIntensiveShare(double v);

        long getFallbackMaxDowntimeMillis();

        void setFallbackMaxDowntimeMillis(long v);

        String getConnect();

        String getThresholds();

        int getStateCount();

        boolean isJmxRemote();

        String reloadConfig();
    }

    public interface Vm {
        String getUuid();

        String getName();

        int getState();

        String getLevels();

        long getSamples();

        String getStrategy();

        String getStrategyReason();

        boolean isMigrating();

        double getWritePercent();

        long getDirtyRateBytesPerSecond();

        long getDiskReadBytesPerSecond();

        long getDiskWriteBytesPerSecond();

        double getDiskOpsPerSecond();

        int getPredictedState();

        int getLastPredictedState();

        int getLastRealisedState();

        double getPredictionHitRate();

        double getPersistenceHitRate();

        int getPredictionsScored();

        String resetModel();

        String exportModel();

        String importPrior(String json);
    }

    public interface Migrations {
        int getHistorySize();

        long getRecorded();
    }
}
