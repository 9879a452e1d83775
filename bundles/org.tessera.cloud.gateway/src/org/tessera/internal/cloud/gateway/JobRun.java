// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

import org.tessera.cloud.core.CreditsBudgetAction;
import org.tessera.core.FrameRange;

/** A submitted job as the gateway runs it: its order, dependencies, progress, charges and budget. */
final class JobRun {
    final String id;
    final String name;
    final String app;
    final String appVersion;
    final String scene;
    final FrameRange frames;
    final int instances;
    final String outputDir;
    /** The budget as submitted; a resume without a new budget grants this much more. */
    final Double initialBudget;
    volatile Double budget;
    volatile CreditsBudgetAction budgetAction;
    final Map<String, String> params;
    final List<String> dependencyIds = new ArrayList<>();
    volatile String state = "Waiting";
    volatile String message = "";
    volatile long framesDone;
    volatile double creditsConsumed;
    volatile boolean cancelled;
    volatile boolean suspended;
    /** Results of this job that could not be copied into a watch folder. */
    final List<String> deliveryFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Whether the ALERT for the current budget was raised (once per budget). */
    volatile boolean alerted;

    JobRun(String id, String name, String app, String appVersion, String scene, FrameRange frames, int instances,
            String outputDir, Double budget, CreditsBudgetAction budgetAction, Map<String, String> params) {
        this.id = id;
        this.name = name;
        this.app = app;
        this.appVersion = appVersion;
        this.scene = scene;
        this.frames = frames;
        this.instances = instances;
        this.outputDir = outputDir;
        this.initialBudget = budget;
        this.budget = budget;
        this.budgetAction = budgetAction;
        this.params = params;
    }

    boolean finished() {
        return switch (state) {
        case "Completed", "Failed", "Stopped", "Suspended" -> true;
        default -> false;
        };
    }

    JsonObject statusJson() {
        JsonObject o = new JsonObject();
        o.addProperty("ID", id);
        o.addProperty("Name", name);
        o.addProperty("State", state);
        o.addProperty("FramesDone", framesDone);
        o.addProperty("FramesTotal", frames.count());
        o.addProperty("CreditsConsumed", creditsConsumed);
        if (budget != null) {
            o.addProperty("CreditsBudget", budget);
            o.addProperty("CreditsBudgetAction", budgetAction.wireName());
        }
        o.addProperty("Message", message);
        return o;
    }
}
