// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.ui;

import java.net.URI;
import java.nio.file.Path;

import org.tessera.cloud.core.CreditsBudgetAction;
import org.tessera.cloud.core.Job;
import org.tessera.cloud.core.Project;
import org.tessera.cloud.core.WatchFile;

/**
 * What the submission wizard collected: service and account, the project folder and scene, product,
 * machine type, frames, instances, budget, an optional second job that waits for the first, and watch
 * files.
 *
 * @param scene the scene file, relative to {@code folder}
 * @param machineType machine type id, or null for the service's default
 * @param budget credits budget per job, 0 for none
 * @param dependentFrames frames of a second job that starts when the first completed, or blank
 * @param watchPattern regular expression over remote output paths to download, or blank
 */
public record Submission(URI service, String email, String accessKey, Path folder, String scene, String product,
        String version, String machineType, String frames, int instances, double budget, CreditsBudgetAction budgetAction,
        String dependentFrames, String watchPattern, Path downloadFolder) {

    @Override
    public String toString() {
        return "Submission[" + service + ", " + email + ", access key hidden, " + folder + "/" + scene + "]";
    }

    /** The Envoy project to submit. */
    public Project toProject() {
        Project p = new Project(folder).addAllFiles();
        String remoteScene = folder.getFileName() + "/" + scene;
        Job first = job("render", frames, remoteScene);
        p.addJobs(first);
        if (dependentFrames != null && !dependentFrames.isBlank()) {
            Job second = job("render-after", dependentFrames, remoteScene);
            second.addDependencies(first);
            p.addJobs(second);
        }
        if (watchPattern != null && !watchPattern.isBlank()) {
            p.addWatchFiles(new WatchFile(watchPattern, downloadFolder));
        }
        return p;
    }

    private Job job(String name, String frameExpression, String remoteScene) {
        Job j = new Job(name, product, version, "render", remoteScene).setFrames(frameExpression).setInstances(instances);
        if (machineType != null && !machineType.isBlank()) {
            j.setMachineType(machineType);
        }
        if (budget > 0) {
            j.setCreditsBudget(budget, budgetAction);
        }
        return j;
    }
}
