// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.tessera.core.FrameRange;

/**
 * One unit of work in a {@link Project}: a product ({@code app} at {@code appVersion}) running an
 * operation on a file of the project, for a {@link FrameRange}, on {@code instances} concurrent
 * machines. Job-specific parameters ({@link #setParam}) follow the Envoy documentation for
 * blender, c4d, hou, maya, nuke and vray; other products (such as Tessera's own engines) accept
 * any parameter. A job may wait for others ({@link #addDependencies}; cycles are refused) and may
 * carry a credits budget ({@link #setCreditsBudget}).
 */
public final class Job {
    /** Operations jobs can run. */
    public static final Set<String> OPERATIONS = Set.of("render", "sim", "composite", "transcode", "batch");

    private static final Set<String> COMMON = Set.of("gpu");
    /** Job-specific parameters per product, from the Envoy client documentation. */
    public static final Map<String, Set<String>> PRODUCT_PARAMS = Map.of(
            "blender", Set.of("output_prefix", "output_format", "engine"),
            "c4d", Set.of("output_height", "output_width", "output_prefix", "output_format", "output_multipass_prefix"),
            "hou", Set.of("take", "rop_nodetype", "rop_nodepath", "output_upload", "disk_output_ext",
                    "disk_output_mode", "disk_output_parm", "disk_output_path", "disk_output_renderer",
                    "disk_output_path_parm"),
            "maya", Set.of("output_height", "output_width", "output_prefix", "output_format", "camera", "renderer"),
            "nuke", Set.of(),
            "vray", Set.of("output_height", "output_width", "output_prefix", "output_format", "rt_engine",
                    "sampling_type", "remap_file"));

    private static final AtomicLong IDS = new AtomicLong();

    private final String id;
    private final String name;
    private final String app;
    private final String appVersion;
    private final String operation;
    private final String path;
    private int instances = 1;
    private String machineType = "";
    private List<String> plugins = List.of();
    private FrameRange frames = FrameRange.single(0);
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final List<Job> dependencies = new ArrayList<>();
    private Double creditsBudget;
    private CreditsBudgetAction creditsBudgetAction;

    /**
     * @param name job name, shown in status
     * @param app product code, e.g. {@code povray}
     * @param appVersion product version from the {@link ProductResolver}
     * @param operation one of {@link #OPERATIONS}
     * @param path the job file relative to the remote project folder, e.g. {@code shot/scene.pov}
     */
    public Job(String name, String app, String appVersion, String operation, String path) {
        this.name = requireText(name, "name");
        this.app = requireText(app, "app");
        this.appVersion = requireText(appVersion, "app_version");
        this.operation = requireText(operation, "operation").toLowerCase(Locale.ROOT);
        if (!OPERATIONS.contains(this.operation)) {
            throw new InvalidRequestError("unknown operation '" + operation + "'; use one of " + OPERATIONS);
        }
        this.path = requireText(path, "path");
        this.id = "job-" + IDS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestError("job " + what + " must not be empty");
        }
        return value;
    }

    /** Identifier other jobs' {@code dependencies} name; unique within this JVM. */
    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String app() {
        return app;
    }

    public String appVersion() {
        return appVersion;
    }

    public String operation() {
        return operation;
    }

    public String path() {
        return path;
    }

    public int instances() {
        return instances;
    }

    /** Requested concurrent machines (tasks running at once), at least 1. */
    public Job setInstances(int instances) {
        if (instances < 1) {
            throw new InvalidRequestError("instances must be at least 1, not " + instances);
        }
        this.instances = instances;
        return this;
    }

    public String machineType() {
        return machineType;
    }

    /** A machine type id from {@link EnvoyClient#getMachines}; empty for the service's default. */
    public Job setMachineType(String machineType) {
        this.machineType = machineType == null ? "" : machineType;
        return this;
    }

    public List<String> plugins() {
        return plugins;
    }

    public Job setPlugins(List<String> plugins) {
        this.plugins = plugins == null ? List.of() : List.copyOf(plugins);
        return this;
    }

    public FrameRange frames() {
        return frames;
    }

    public Job setFrames(FrameRange frames) {
        this.frames = Objects.requireNonNull(frames, "frames");
        return this;
    }

    /** Parses {@code expression} in the frames grammar ({@value FrameRange#GRAMMAR}). */
    public Job setFrames(String expression) {
        return setFrames(FrameRange.parse(expression));
    }

    /**
     * Sets a job-specific parameter such as {@code output_format}. For the documented products a name
     * they do not know is an {@link InvalidRequestError}.
     */
    public Job setParam(String key, Object value) {
        Set<String> known = PRODUCT_PARAMS.get(app);
        if (known != null && !known.contains(key) && !COMMON.contains(key)) {
            throw new InvalidRequestError("product " + app + " has no job parameter '" + key + "'; known: " + known);
        }
        params.put(key, value);
        return this;
    }

    /** The job-specific parameters, in the order set. */
    public Map<String, Object> params() {
        return Collections.unmodifiableMap(params);
    }

    /**
     * Makes this job wait until {@code jobs} are done.
     *
     * @throws InvalidRequestError when a job would (transitively) depend on itself; nothing is added
     */
    public Job addDependencies(Job... jobs) {
        for (Job job : jobs) {
            List<Job> cycle = pathTo(job, this);
            if (cycle != null) {
                StringBuilder names = new StringBuilder(name);
                for (Job j : cycle) {
                    names.append(" -> ").append(j.name);
                }
                throw new InvalidRequestError("cyclic job dependencies: " + names);
            }
        }
        for (Job job : jobs) {
            if (!dependencies.contains(job)) {
                dependencies.add(job);
            }
        }
        return this;
    }

    /** The jobs path from {@code from} along dependencies to {@code target}, or null when none. */
    private static List<Job> pathTo(Job from, Job target) {
        Deque<List<Job>> queue = new ArrayDeque<>();
        queue.add(List.of(from));
        Set<Job> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!queue.isEmpty()) {
            List<Job> path = queue.poll();
            Job last = path.get(path.size() - 1);
            if (last == target) {
                return path;
            }
            if (seen.add(last)) {
                for (Job next : last.dependencies) {
                    List<Job> longer = new ArrayList<>(path);
                    longer.add(next);
                    queue.add(longer);
                }
            }
        }
        return null;
    }

    /** The jobs this one waits for. */
    public List<Job> dependencies() {
        return Collections.unmodifiableList(dependencies);
    }

    /**
     * Sets a credits budget: when the credits this job consumed reach {@code value}, the service
     * applies {@code action}.
     */
    public Job setCreditsBudget(double value, CreditsBudgetAction action) {
        if (!(value > 0)) {
            throw new InvalidRequestError("credits budget must be positive, not " + value);
        }
        this.creditsBudget = value;
        this.creditsBudgetAction = Objects.requireNonNull(action, "action");
        return this;
    }

    /** The budget in credits, or null when none is set. */
    public Double creditsBudget() {
        return creditsBudget;
    }

    /** The budget action, or null when no budget is set. */
    public CreditsBudgetAction creditsBudgetAction() {
        return creditsBudgetAction;
    }

    @Override
    public String toString() {
        return "Job[" + name + ", " + app + ":" + appVersion + ", " + operation + ", " + path + ", frames " + frames + "]";
    }
}
