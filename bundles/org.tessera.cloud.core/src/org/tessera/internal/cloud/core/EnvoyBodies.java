// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.tessera.cloud.core.Job;
import org.tessera.cloud.core.Machine;
import org.tessera.cloud.core.Product;
import org.tessera.cloud.core.Project;
import org.tessera.cloud.core.ProjectStatus;
import org.tessera.cloud.core.UserInfo;
import org.tessera.cloud.core.WatchFile;

/** Request bodies and answer parsing of the Envoy protocol, as in REFERENCE.md "Cloud submission". */
public final class EnvoyBodies {
    static final Gson GSON = new Gson();

    private EnvoyBodies() {
    }

    /** {@code {"Username": email, "AccessKey": key}}. */
    public static JsonObject auth(String email, String accessKey) {
        JsonObject o = new JsonObject();
        o.addProperty("Username", email);
        o.addProperty("AccessKey", accessKey);
        return o;
    }

    /** {@code [{"localRoot","remoteRoot","files":[...]}]}. */
    public static JsonArray uploadEntries(Project project) {
        JsonArray entries = new JsonArray();
        for (Project.FileGroup g : project.fileGroups()) {
            JsonObject e = new JsonObject();
            e.addProperty("localRoot", g.localFolder().toString());
            e.addProperty("remoteRoot", g.remoteFolder());
            JsonArray files = new JsonArray();
            g.files().forEach(files::add);
            e.add("files", files);
            entries.add(e);
        }
        return entries;
    }

    /** {@code {"upload":[...]}}. */
    public static JsonObject upload(Project project) {
        JsonObject o = new JsonObject();
        o.add("upload", uploadEntries(project));
        return o;
    }

    /** The whole {@code /project-submit} body. */
    public static JsonObject submit(Project project, boolean skipUpload) {
        JsonObject request = new JsonObject();
        request.addProperty("name", project.requestName());
        request.add("params", GSON.toJsonTree(project.params()));
        JsonArray jobs = new JsonArray();
        for (Job job : project.jobs()) {
            jobs.add(job(job, project));
        }
        request.add("jobs", jobs);
        JsonObject body = new JsonObject();
        body.add("project_request", request);
        // the public body names one file group; further groups ride along as "upload" (Tessera)
        JsonArray groups = uploadEntries(project);
        JsonObject files = new JsonObject();
        files.addProperty("localRoot", project.localRoot().toString());
        files.addProperty("remoteRoot", project.remoteRoot());
        JsonArray names = new JsonArray();
        for (Project.FileGroup g : project.fileGroups()) {
            String remoteSub = g.remoteFolder().substring(project.remoteRoot().length());
            String localSub = project.localRoot().relativize(g.localFolder()).toString().replace('\\', '/');
            if (remoteSub.equals(localSub.isEmpty() ? "" : "/" + localSub)) {
                String prefix = localSub.isEmpty() ? "" : localSub + "/";
                g.files().forEach(f -> names.add(prefix + f));
            }
        }
        files.add("files", names);
        body.add("project_files", files);
        if (names.size() != project.fileGroups().stream().mapToInt(g -> g.files().size()).sum()) {
            // some files go elsewhere than their place under localRoot: the public body cannot say so
            body.add("upload", groups);
        }
        JsonObject watch = new JsonObject();
        for (WatchFile w : project.watchFiles()) {
            watch.addProperty(w.pattern(), w.downloadFolder().toString());
        }
        body.add("watch_files", watch);
        if (skipUpload) {
            body.addProperty("skip_upload", true); // the public client sends it only when true
        }
        return body;
    }

    private static JsonObject job(Job job, Project project) {
        JsonObject o = new JsonObject();
        o.addProperty("id", job.id());
        o.addProperty("name", job.name());
        o.addProperty("app", job.app());
        o.addProperty("app_version", job.appVersion());
        o.addProperty("operation", job.operation());
        o.addProperty("path", job.path());
        JsonObject params = GSON.toJsonTree(job.params()).getAsJsonObject();
        params.addProperty("frames", job.frames().toString());
        params.addProperty("instances", job.instances());
        params.addProperty("machine_type", job.machineType());
        // as the public client 0.7.0: the output folder's NAME, the upload patterns with / and with \\,
        // and the billing meta (product, then plugins)
        params.addProperty("output_dir_name", project.outputFolderName());
        if (!params.has("output_upload")) {
            String pattern = project.remoteOutputFolder() + "/.+";
            JsonArray upload = new JsonArray();
            upload.add(pattern);
            upload.add(pattern.replace("/", "\\\\"));
            params.add("output_upload", upload);
        }
        if (!params.has("billing_meta")) {
            JsonArray meta = new JsonArray();
            meta.add(job.app());
            job.plugins().forEach(meta::add);
            params.add("billing_meta", meta);
        }
        if (job.creditsBudget() != null) {
            JsonObject budget = new JsonObject();
            budget.addProperty("credits", job.creditsBudget());
            budget.addProperty("action", job.creditsBudgetAction().wireName());
            params.add("credits_budget", budget);
        }
        o.add("params", params);
        JsonArray deps = new JsonArray();
        job.dependencies().forEach(d -> deps.add(d.id()));
        o.add("dependencies", deps);
        return o;
    }

    public static String string(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    public static double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return 0;
        }
        try {
            return e.getAsDouble();
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    public static UserInfo userInfo(JsonObject o) {
        JsonObject d = o.has("data") && o.get("data").isJsonObject() ? o.getAsJsonObject("data") : o;
        return new UserInfo(string(d, "created", ""), number(d, "credits_available"), number(d, "credits_consumed"),
                string(d, "email_address", ""), (int) number(d, "job_throughput_limit"),
                (int) number(d, "max_throughput"), string(d, "name", ""), string(d, "service_plan", ""));
    }

    public static List<Product> products(JsonElement answer) {
        JsonArray list = answer.isJsonArray() ? answer.getAsJsonArray()
                : answer.getAsJsonObject().getAsJsonArray("products");
        List<Product> result = new ArrayList<>();
        for (JsonElement e : list) {
            JsonObject p = e.getAsJsonObject();
            List<String> modules = new ArrayList<>();
            JsonElement m = p.get("compatible_modules");
            if (m != null && m.isJsonArray()) {
                for (JsonElement x : m.getAsJsonArray()) {
                    if (x.isJsonObject()) {
                        JsonObject xo = x.getAsJsonObject();
                        modules.add(string(xo, "app_type", "") + ":" + string(xo, "version", ""));
                    } else {
                        modules.add(x.getAsString());
                    }
                }
            }
            JsonElement plugin = p.get("is_plugin");
            result.add(new Product(string(p, "app_type", ""), string(p, "version", ""), modules,
                    string(p, "id", ""), string(p, "name", ""), plugin != null && plugin.getAsBoolean()));
        }
        return result;
    }

    public static List<Machine> machines(JsonElement answer) {
        JsonArray list = answer.isJsonArray() ? answer.getAsJsonArray()
                : answer.getAsJsonObject().getAsJsonArray("machines");
        List<Machine> result = new ArrayList<>();
        for (JsonElement e : list) {
            JsonObject m = e.getAsJsonObject();
            result.add(new Machine(string(m, "id", ""), string(m, "name", ""),
                    m.has("gpu") && m.get("gpu").getAsBoolean(), m.has("is_default") && m.get("is_default").getAsBoolean()));
        }
        return result;
    }

    public static ProjectStatus status(JsonObject o) {
        Map<String, ProjectStatus.FileStatus> details = new LinkedHashMap<>();
        JsonElement d = o.get("Details");
        if (d != null && d.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : d.getAsJsonObject().entrySet()) {
                JsonObject f = e.getValue().getAsJsonObject();
                details.put(e.getKey(), new ProjectStatus.FileStatus(string(f, "Name", e.getKey()), string(f, "State", ""),
                        (long) number(f, "BytesDone"), (long) number(f, "BytesTotal"), number(f, "Speed")));
            }
        }
        List<ProjectStatus.JobStatus> jobs = new ArrayList<>();
        JsonElement j = o.get("Jobs");
        if (j != null && j.isJsonArray()) {
            for (JsonElement e : j.getAsJsonArray()) {
                JsonObject x = e.getAsJsonObject();
                jobs.add(new ProjectStatus.JobStatus(string(x, "ID", ""), string(x, "Name", ""), string(x, "State", ""),
                        (long) number(x, "FramesDone"), (long) number(x, "FramesTotal"), number(x, "CreditsConsumed"),
                        string(x, "Message", "")));
            }
        }
        List<String> alerts = new ArrayList<>();
        JsonElement a = o.get("Alerts");
        if (a != null && a.isJsonArray()) {
            a.getAsJsonArray().forEach(e -> alerts.add(e.isJsonPrimitive() ? e.getAsString() : e.toString()));
        }
        return new ProjectStatus((int) number(o, "Code"), string(o, "State", ""), string(o, "Message", ""),
                (long) number(o, "BytesDone"), (long) number(o, "BytesTotal"), number(o, "Speed"), details, jobs, alerts);
    }
}
