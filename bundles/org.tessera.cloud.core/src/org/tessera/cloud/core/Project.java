// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A group of {@link Job}s submitted together, with the files they need. Files live under a local
 * root folder and go to the remote folder {@code /<name>}; results land in
 * {@link #remoteOutputFolder()} and are downloaded by {@link WatchFile}s.
 * <p>
 * {@link #addFiles} only accepts files inside the local root: a name with {@code ..}, an absolute
 * name, or a symbolic link that resolves outside the root is an {@link InvalidRequestError}; while
 * walking folders such links are skipped.
 */
public final class Project {
    /** The output folder's default name, as the public client writes {@code str(datetime)}: 2026-12-02_16-17-23_392763. */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss_SSSSSS");
    /** The submitted name's stamp, as the public client's {@code "%Y-%b-%d %H:%M:%S %p"}. */
    private static final DateTimeFormatter REQUEST_STAMP = DateTimeFormatter.ofPattern("yyyy-MMM-dd HH:mm:ss a",
            java.util.Locale.ENGLISH);

    /** Files from one local folder going to one remote folder. */
    public record FileGroup(Path localFolder, String remoteFolder, List<String> files) {
        public FileGroup {
            files = List.copyOf(files);
        }
    }

    private final Path localRoot;
    private final Path realRoot;
    private final String name;
    private final String submissionName;
    private final String outputFolderName;
    private final String timestamp;
    private final String requestStamp;
    private final boolean namedSubmission;
    private final boolean namedOutputFolder;
    private final List<FileGroup> fileGroups = new ArrayList<>();
    private final List<Job> jobs = new ArrayList<>();
    private final List<WatchFile> watchFiles = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    /** A project named after its root folder, with a timestamp submission name. */
    public Project(Path localRoot) {
        this(localRoot, null, null, null);
    }

    /**
     * @param localRoot folder holding the project files; must exist
     * @param name project name, also the remote root folder; null for the root folder's name
     * @param submissionName null for a timestamp
     * @param outputFolderName results folder name; null for the submission name
     */
    public Project(Path localRoot, String name, String submissionName, String outputFolderName) {
        this.localRoot = Objects.requireNonNull(localRoot, "localRoot").toAbsolutePath().normalize();
        if (!Files.isDirectory(this.localRoot)) {
            throw new InvalidRequestError("project root " + this.localRoot + " is not a folder");
        }
        try {
            this.realRoot = this.localRoot.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.name = checkName(name == null ? this.localRoot.getFileName().toString() : name, "project name");
        LocalDateTime now = LocalDateTime.now();
        this.timestamp = now.format(STAMP);
        this.requestStamp = now.format(REQUEST_STAMP);
        this.namedSubmission = submissionName != null && !submissionName.isBlank();
        this.namedOutputFolder = outputFolderName != null && !outputFolderName.isBlank();
        this.submissionName = submissionName == null || submissionName.isBlank() ? timestamp : submissionName;
        this.outputFolderName = checkName(outputFolderName == null || outputFolderName.isBlank()
                ? this.submissionName.replace(' ', '_') : outputFolderName, "output folder name");
    }

    private static String checkName(String value, String what) {
        if (value.isBlank() || value.equals(".") || value.equals("..") || value.contains("/") || value.contains("\\")) {
            throw new InvalidRequestError(what + " '" + value + "' is not a valid folder name");
        }
        return value;
    }

    public Path localRoot() {
        return localRoot;
    }

    public String name() {
        return name;
    }

    public String submissionName() {
        return submissionName;
    }

    public String outputFolderName() {
        return outputFolderName;
    }

    /** {@code /<name>}. */
    public String remoteRoot() {
        return "/" + name;
    }

    /** {@code /<name>/render_results/<output folder name>}: where results appear remotely. */
    public String remoteOutputFolder() {
        return remoteRoot() + "/render_results/" + outputFolderName;
    }

    /** The submitted project name, {@code "<name> <timestamp>"} as the public client writes it. */
    public String requestName() {
        return name + " " + requestStamp;
    }

    /**
     * Adds files from {@code localFolder} (absolute, or relative to the root; inside the root) to go to
     * {@code remoteFolder} ({@link #remoteRoot()} or a folder under it). With no names, every file
     * under the folder is added; a named folder adds every file under it.
     *
     * @throws InvalidRequestError for a name or folder outside the root, or a file that does not exist
     */
    public Project addFiles(Path localFolder, String remoteFolder, String... names) {
        Path folder = inside(localRoot.resolve(localFolder).normalize(), localFolder.toString());
        String remote = checkRemote(remoteFolder);
        Set<String> files = new LinkedHashSet<>();
        if (names.length == 0) {
            walk(folder, folder, files);
        }
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new InvalidRequestError("empty file name");
            }
            Path p = Path.of(n);
            if (p.isAbsolute() || n.startsWith("/") || n.startsWith("\\")) {
                throw new InvalidRequestError("absolute file name '" + n + "' refused: name files relative to " + folder);
            }
            for (Path part : p) {
                if (part.toString().equals("..")) {
                    throw new InvalidRequestError("file name '" + n + "' leaves the project root (..)");
                }
            }
            Path file = inside(folder.resolve(p).normalize(), n);
            if (Files.isDirectory(file)) {
                walk(folder, file, files);
            } else if (Files.isRegularFile(file)) {
                files.add(folder.relativize(file).toString().replace('\\', '/'));
            } else {
                throw new InvalidRequestError("no such file: " + file);
            }
        }
        if (!files.isEmpty()) {
            fileGroups.add(new FileGroup(folder, remote, new ArrayList<>(files)));
        }
        return this;
    }

    /** Adds every file under the root to {@link #remoteRoot()}. */
    public Project addAllFiles() {
        return addFiles(localRoot, remoteRoot());
    }

    private void walk(Path base, Path folder, Set<String> into) {
        try (Stream<Path> s = Files.walk(folder)) {
            s.filter(f -> Files.isRegularFile(f)).filter(this::realInside).sorted()
                    .forEach(f -> into.add(base.relativize(f).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean realInside(Path p) {
        try {
            return p.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }

    private Path inside(Path p, String given) {
        if (!p.startsWith(localRoot)) {
            throw new InvalidRequestError("'" + given + "' is outside the project root " + localRoot);
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !realInside(p)) {
            throw new InvalidRequestError("'" + given + "' is a link leading outside the project root " + localRoot);
        }
        return p;
    }

    private String checkRemote(String remoteFolder) {
        String r = remoteFolder == null || remoteFolder.isBlank() ? remoteRoot() : remoteFolder.replace('\\', '/');
        while (r.length() > 1 && r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        if (!(r.equals(remoteRoot()) || r.startsWith(remoteRoot() + "/")) || List.of(r.split("/")).contains("..")) {
            throw new InvalidRequestError("remote folder '" + remoteFolder + "' is not under " + remoteRoot());
        }
        return r;
    }

    /** The files to upload, grouped by local and remote folder. */
    public List<FileGroup> fileGroups() {
        return Collections.unmodifiableList(fileGroups);
    }

    public Project addJobs(Job... jobs) {
        Collections.addAll(this.jobs, jobs);
        return this;
    }

    public List<Job> jobs() {
        return Collections.unmodifiableList(jobs);
    }

    public Project addWatchFiles(WatchFile... watchFiles) {
        Collections.addAll(this.watchFiles, watchFiles);
        return this;
    }

    /**
     * The watch files; when none were added, one that downloads everything under
     * {@link #remoteOutputFolder()} into {@code <localRoot>/<output folder name>} (the results folder
     * name, by default the submission name), as Envoy's documentation says. The pattern is written as
     * the public client writes it ({@code <remote output folder>/.+}).
     */
    public List<WatchFile> watchFiles() {
        if (watchFiles.isEmpty()) {
            return List.of(new WatchFile(remoteOutputFolder() + "/.+", localRoot.resolve(outputFolderName)));
        }
        return Collections.unmodifiableList(watchFiles);
    }

    /** Escapes regex metacharacters the way Python's {@code re.escape} would, so both sides read it. */
    static String regexEscape(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Project-level parameters shared by all jobs (e.g. Houdini's {@code project_env}). */
    public Project setParam(String key, Object value) {
        params.put(key, value);
        return this;
    }

    /**
     * The project-level parameters as sent: those set, plus {@code submission_name} and
     * {@code output_folder_name} when they were given (as the public client sends its keyword arguments).
     */
    public Map<String, Object> params() {
        Map<String, Object> all = new LinkedHashMap<>(params);
        if (namedSubmission) {
            all.putIfAbsent("submission_name", submissionName);
        }
        if (namedOutputFolder) {
            all.putIfAbsent("output_folder_name", outputFolderName);
        }
        return Collections.unmodifiableMap(all);
    }
}
