// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.tessera.cloud.core.CreditsBudgetAction;
import org.tessera.core.FrameRange;

/**
 * Reads the {@code project_request} and {@code watch_files} of a {@code /project-submit} body as the
 * public Envoy client 0.7.0 sends them, collecting every problem before anything is stored.
 */
final class SubmissionParser {
    /** The folder name Envoy's clients use when they name none: a timestamp, as Python's str(datetime). */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss_SSSSSS");

    private SubmissionParser() {
    }

    /** What a submission asks for, validated. */
    record Submission(List<JobRun> jobs, Map<Pattern, Path> watch, String submissionName) {
    }

    static String string(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    /**
     * The folder a job's results go to, below the output folder: its name with every character other
     * than letters, digits, {@code .}, {@code _} and {@code -} replaced by {@code _}.
     */
    static String jobFolder(String name) {
        String f = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return f.isEmpty() || f.equals(".") || f.equals("..") ? "_" + f.replace('.', '_') : f;
    }

    /** Whether {@code offered} (e.g. 3.7.0.10) is what a job asking for {@code asked} (3.7, 3.7.0.10) means. */
    static boolean versionMatches(String offered, String asked) {
        return asked == null || asked.isBlank() || offered.equals(asked) || offered.startsWith(asked + ".");
    }

    static Submission parse(JsonObject body, JsonObject request, String project, List<FarmRenderer.EngineProduct> offered,
            Path store) throws Refusal {
        JsonObject projectParams = request.has("params") && request.get("params").isJsonObject()
                ? request.getAsJsonObject("params") : new JsonObject();
        if (request.has("params") && !request.get("params").isJsonObject() && !request.get("params").isJsonNull()) {
            throw new Refusal(400, "project_request.params must be an object");
        }
        List<JobRun> jobs = parseJobs(request, project, offered, store);
        String submission = string(projectParams, "submission_name");
        if (submission == null || submission.isBlank()) {
            submission = string(request, "name");
        }
        Map<Pattern, Path> watch = parseWatch(body, projectParams, jobs.get(0).outputDir, submission);
        return new Submission(jobs, watch, submission == null ? project : submission);
    }

    /**
     * {@code watch_files} as sent; an empty object means no downloads (the public client's
     * {@code skip_auto_download}). With no {@code watch_files} at all, results go to
     * {@code <localRoot>/<output_folder_name>} (else the submission name) as the Envoy documentation says.
     */
    private static Map<Pattern, Path> parseWatch(JsonObject body, JsonObject projectParams, String outputDir,
            String submission) throws Refusal {
        Map<Pattern, Path> watch = new LinkedHashMap<>();
        JsonElement element = body.get("watch_files");
        if (element == null || element.isJsonNull()) {
            JsonObject files = body.has("project_files") && body.get("project_files").isJsonObject()
                    ? body.getAsJsonObject("project_files") : null;
            String localRoot = string(files, "localRoot");
            String folder = string(projectParams, "output_folder_name");
            if (folder == null || folder.isBlank()) {
                folder = submission;
            }
            if (localRoot == null || folder == null || !Path.of(localRoot).isAbsolute()) {
                return watch;
            }
            String name = folder.replace(' ', '_');
            try {
                SafePaths.relativeName(name);
                if (name.contains("/")) {
                    throw new IllegalArgumentException("results folder name '" + folder + "' must be one folder name");
                }
            } catch (IllegalArgumentException e) {
                throw new Refusal(400, "output_folder_name: " + e.getMessage());
            }
            watch.put(Pattern.compile(Pattern.quote("/" + outputDir + "/") + ".+"), Path.of(localRoot).resolve(name));
            return watch;
        }
        if (!element.isJsonObject()) {
            throw new Refusal(400, "watch_files must be an object {regex: local folder}");
        }
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : element.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                errors.add("watch file '" + e.getKey() + "': the folder must be a string");
                continue;
            }
            try {
                Path folder = Path.of(e.getValue().getAsString());
                if (!folder.isAbsolute()) {
                    errors.add("watch folder must be absolute: " + folder);
                    continue;
                }
                if (Files.exists(folder) && !Files.isDirectory(folder)) {
                    errors.add("watch folder " + folder + " is not a folder (a file is in its place)");
                    continue;
                }
                watch.put(Pattern.compile(e.getKey()), folder.normalize());
            } catch (PatternSyntaxException ex) {
                errors.add("watch file '" + e.getKey() + "' is not a regular expression: " + ex.getDescription());
            } catch (RuntimeException ex) {
                errors.add("bad watch file '" + e.getKey() + "': " + ex.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new Refusal(400, errors);
        }
        return watch;
    }

    /** The output folder below the store: a folder NAME (the public client) or a path under /project. */
    private static String outputDir(JsonObject params, String project, String stamp, String label, List<String> errors) {
        JsonElement e = params.get("output_dir_name");
        if (e == null) {
            return project + "/render_results/" + stamp;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            errors.add(label + ": output_dir_name must be a folder name (a string), not " + e);
            return null;
        }
        String value = e.getAsString().replace('\\', '/');
        try {
            if (!value.contains("/")) {
                return project + "/render_results/" + SafePaths.relativeName(value);
            }
            String rel = SafePaths.relativeName(value.replaceAll("^/+", ""));
            if (!rel.startsWith(project + "/")) {
                errors.add(label + ": output_dir_name must be a folder name, or a folder under /" + project);
                return null;
            }
            return rel;
        } catch (IllegalArgumentException ex) {
            errors.add(label + ": output_dir_name " + ex.getMessage());
            return null;
        }
    }

    private static List<JobRun> parseJobs(JsonObject request, String project, List<FarmRenderer.EngineProduct> offered,
            Path store) throws Refusal {
        JsonElement jobsElement = request.get("jobs");
        if (jobsElement == null || !jobsElement.isJsonArray() || jobsElement.getAsJsonArray().isEmpty()) {
            throw new Refusal(400, "project_request.jobs must be a non-empty list");
        }
        List<String> errors = new ArrayList<>();
        Map<String, JobRun> byId = new LinkedHashMap<>();
        Map<String, String> folders = new HashMap<>();
        // one default output folder for every job of the submission that names none
        String stamp = LocalDateTime.now().format(STAMP);
        for (JsonElement e : jobsElement.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                errors.add("job is not an object: " + e);
                continue;
            }
            JsonObject j = e.getAsJsonObject();
            String id = string(j, "id");
            String name = string(j, "name");
            String label = "job " + (name != null ? "'" + name + "'" : id);
            String app = string(j, "app");
            String version = string(j, "app_version");
            String operation = string(j, "operation");
            String path = string(j, "path");
            if (j.has("params") && !j.get("params").isJsonObject()) {
                errors.add(label + ": params must be an object");
            }
            JsonObject params = j.has("params") && j.get("params").isJsonObject() ? j.getAsJsonObject("params") : new JsonObject();
            int before = errors.size();
            if (id == null || id.isBlank()) {
                errors.add(label + ": id is missing");
            } else if (byId.containsKey(id)) {
                errors.add(label + ": duplicate id " + id);
            }
            if (app == null || offered.stream().noneMatch(p -> p.code().equals(app))) {
                errors.add(label + ": unknown product '" + app + "'; offered: "
                        + offered.stream().map(p -> p.code() + ":" + p.version()).toList());
            } else if (offered.stream().noneMatch(p -> p.code().equals(app) && versionMatches(p.version(), version))) {
                errors.add(label + ": product " + app + " has no version '" + version + "'; offered: "
                        + offered.stream().filter(p -> p.code().equals(app)).map(FarmRenderer.EngineProduct::version).toList());
            }
            if (operation != null && !operation.equals("render")) {
                errors.add(label + ": operation '" + operation + "' is not offered; use render");
            }
            String scene = null;
            try {
                String p = path == null ? null : path.replaceAll("^/+", "");
                if (p == null) {
                    errors.add(label + ": path is missing");
                } else {
                    SafePaths.relativeName(p);
                    scene = p.startsWith(project + "/") ? p : project + "/" + p;
                }
            } catch (IllegalArgumentException ex) {
                errors.add(label + ": path " + ex.getMessage());
            }
            FrameRange frames = null;
            try {
                frames = FrameRange.parse(params.has("frames") ? params.get("frames").getAsString() : "0");
            } catch (RuntimeException ex) {
                errors.add(label + ": frames " + ex.getMessage());
            }
            int instances = 1;
            try {
                instances = params.has("instances") ? params.get("instances").getAsInt() : 1;
                if (instances < 1 || instances > 256) {
                    errors.add(label + ": instances must be 1..256");
                }
            } catch (RuntimeException ex) {
                errors.add(label + ": instances must be a number");
            }
            for (String size : List.of("output_width", "output_height")) {
                if (params.has(size)) {
                    try {
                        int v = params.get(size).getAsInt();
                        if (v < 1) {
                            errors.add(label + ": " + size + " must be at least 1, not " + v);
                        }
                    } catch (RuntimeException ex) {
                        errors.add(label + ": " + size + " must be a whole number, not " + params.get(size));
                    }
                }
            }
            JsonElement bits = params.get("output_bits"); // PNG bits per channel
            if (bits != null && !(bits.isJsonPrimitive() && List.of("8", "16").contains(bits.getAsString()))) {
                errors.add(label + ": output_bits must be 8 or 16, not " + bits);
            }
            JsonElement upload = params.get("output_upload");
            if (upload != null) {
                if (!upload.isJsonArray()) {
                    errors.add(label + ": output_upload must be a list of patterns");
                } else {
                    for (JsonElement u : upload.getAsJsonArray()) {
                        try {
                            Pattern.compile(u.getAsString());
                        } catch (RuntimeException ex) {
                            errors.add(label + ": output_upload pattern " + u + " is not a regular expression");
                        }
                    }
                }
            }
            String outputDir = outputDir(params, project, stamp, label, errors);
            Double budget = null;
            CreditsBudgetAction action = null;
            if (params.has("credits_budget")) {
                try {
                    JsonObject b = params.getAsJsonObject("credits_budget");
                    budget = b.get("credits").getAsDouble();
                    action = CreditsBudgetAction.fromWire(b.get("action").getAsString());
                    if (!(budget > 0)) {
                        errors.add(label + ": credits budget must be positive");
                    }
                } catch (RuntimeException ex) {
                    errors.add(label + ": credits_budget must be {credits: number, action: stop|suspend|alert}");
                }
            }
            List<String> deps = new ArrayList<>();
            JsonElement depsElement = j.get("dependencies");
            if (depsElement != null && !depsElement.isJsonNull()) {
                if (!depsElement.isJsonArray()) {
                    errors.add(label + ": dependencies must be a list of job ids");
                } else {
                    for (JsonElement d : depsElement.getAsJsonArray()) {
                        if (d.isJsonPrimitive() && d.getAsJsonPrimitive().isString() && !d.getAsString().isBlank()) {
                            deps.add(d.getAsString());
                        } else {
                            errors.add(label + ": dependencies must be a list of job ids, not " + d);
                        }
                    }
                }
            }
            if (name != null && outputDir != null) {
                String folder = outputDir + "/" + jobFolder(name);
                String other = folders.putIfAbsent(folder.toLowerCase(Locale.ROOT), name);
                if (other != null) {
                    errors.add("jobs '" + other + "' and '" + name + "' would write into the same output folder /" + folder
                            + "; give them names that differ in letters, digits, '.', '_' or '-'");
                } else if (isNonEmptyFolder(store.resolve(folder))) {
                    errors.add(label + ": output folder /" + folder + " already holds results of an earlier submission;"
                            + " submit with another output_dir_name");
                }
            }
            Map<String, String> p = new LinkedHashMap<>();
            params.entrySet().forEach(en -> {
                if (en.getValue().isJsonPrimitive()) {
                    p.put(en.getKey(), en.getValue().getAsString());
                }
            });
            if (errors.size() == before) {
                JobRun run = new JobRun(id, name == null ? id : name, app, version, scene, frames, instances, outputDir,
                        budget, action, p);
                run.dependencyIds.addAll(deps);
                byId.put(id, run);
            } else if (id != null) {
                byId.putIfAbsent(id, null);
            }
        }
        for (JobRun run : byId.values()) {
            if (run != null) {
                for (String d : run.dependencyIds) {
                    if (!byId.containsKey(d)) {
                        errors.add("job '" + run.name + "': unknown dependency " + d);
                    }
                }
            }
        }
        if (errors.isEmpty()) {
            String cycle = findCycle(byId);
            if (cycle != null) {
                errors.add("cyclic job dependencies: " + cycle);
            }
        }
        if (!errors.isEmpty()) {
            throw new Refusal(400, errors);
        }
        return new ArrayList<>(byId.values());
    }

    private static boolean isNonEmptyFolder(Path folder) {
        try (var s = Files.list(folder)) {
            return s.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A dependency cycle written {@code a -> b -> a}, or null. */
    static String findCycle(Map<String, JobRun> jobs) {
        Map<String, Integer> mark = new HashMap<>();
        for (String start : jobs.keySet()) {
            List<String> path = new ArrayList<>();
            String c = visit(start, jobs, mark, path);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static String visit(String id, Map<String, JobRun> jobs, Map<String, Integer> mark, List<String> path) {
        Integer m = mark.get(id);
        if (m != null && m == 2) {
            return null;
        }
        path.add(jobs.get(id).name);
        if (m != null && m == 1) {
            return String.join(" -> ", path);
        }
        mark.put(id, 1);
        for (String d : jobs.get(id).dependencyIds) {
            String c = visit(d, jobs, mark, path);
            if (c != null) {
                return c;
            }
        }
        mark.put(id, 2);
        path.remove(path.size() - 1);
        return null;
    }
}
