// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a render engine's child process (POV-Ray, Blender, …) so that the scene it renders can read only
 * its own folder and the renderer's installed files, and write only one scratch folder: scenes are
 * untrusted input on a farm (POV-Ray's SDL has {@code #fopen … write}, Blender files can carry Python).
 * <p>
 * On Linux the process runs inside <a href="https://github.com/containers/bubblewrap">bubblewrap</a>
 * ({@code bwrap}, Debian package {@code bubblewrap}), the sandbox Flatpak uses: a private mount namespace
 * that shows the system's {@code /usr} read-only, the scene folder read-only, the scratch folder
 * read-write, an empty {@code /tmp}, a few files of {@code /etc} the renderers need and nothing else of
 * the machine; no network, its own process tree, a clean environment (tokens and keys of the parent never
 * reach the child), and the child dies with its parent. POV-Ray's own I/O restrictions
 * ({@code povray.conf}) are not relied on: POV-Ray 3.7 ignores its {@code restricted} setting (POV-Ray
 * issue #158), and Debian's file allows read and write under {@code /tmp} anyway.
 * <p>
 * The environment variable {@code TESSERA_SANDBOX} chooses the policy: {@code required} (default: without
 * a working sandbox engines refuse to run, with an install hint), or {@code off} (run renderers directly,
 * with a clean environment — only for scenes you trust). The rules are documented in
 * {@code docs/node-protocol.md} ("Scenes are untrusted input").
 */
public final class SceneSandbox {

    /** Environment variable choosing the policy: {@code required} (default) or {@code off}. */
    public static final String POLICY_VARIABLE = "TESSERA_SANDBOX";

    /** Files and folders of {@code /etc} that renderers read (dynamic linker, fonts, POV-Ray's own files). */
    private static final List<String> ETC = List.of("/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf",
            "/etc/ld.so.conf.d", "/etc/fonts", "/etc/povray", "/etc/localtime", "/etc/nsswitch.conf");

    /** Top-level folders that merged-/usr systems make links into /usr, bound when they are real folders. */
    private static final List<String> ROOT_LINKS = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

    private static volatile SceneSandbox system;

    private final boolean enforced;
    private final Path bwrap;
    private final String unavailable;

    private SceneSandbox(boolean enforced, Path bwrap, String unavailable) {
        this.enforced = enforced;
        this.bwrap = bwrap;
        this.unavailable = unavailable;
    }

    /** The sandbox of this machine, found and tried once (a {@code bwrap … true} run, a few milliseconds). */
    public static SceneSandbox system() {
        SceneSandbox s = system;
        if (s == null) {
            synchronized (SceneSandbox.class) {
                s = system;
                if (s == null) {
                    system = s = detect(System.getenv(POLICY_VARIABLE), System.getenv("PATH"));
                }
            }
        }
        return s;
    }

    /**
     * Finds and tries the sandbox for a policy and a search path (the public form is {@link #system()}).
     *
     * @param policy {@code required}, {@code off}, or null/blank for {@code required}
     * @param path   folders to search for {@code bwrap}, as in {@code $PATH}
     */
    public static SceneSandbox detect(String policy, String path) {
        String p = policy == null || policy.isBlank() ? "required" : policy.trim().toLowerCase(Locale.ROOT);
        if (p.equals("off")) {
            return new SceneSandbox(false, null, null);
        }
        if (!p.equals("required")) {
            return new SceneSandbox(true, null, POLICY_VARIABLE + "=" + policy + " is not a policy: use 'required' or 'off'");
        }
        Path found = null;
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "bwrap"))) {
                found = Path.of(dir, "bwrap");
                break;
            }
        }
        if (found == null) {
            return new SceneSandbox(true, null, "no scene sandbox: 'bwrap' is not on the PATH. Install bubblewrap "
                    + "(Debian/Ubuntu: apt-get install bubblewrap), or set " + POLICY_VARIABLE
                    + "=off to run renderers unsandboxed (only for scenes you trust)");
        }
        String failure = tryOut(found);
        return new SceneSandbox(true, found, failure);
    }

    private static String tryOut(Path bwrap) {
        try {
            Path scratch = Files.createTempDirectory("tessera-sandbox-probe-");
            try {
                List<String> cmd = new ArrayList<>(arguments(bwrap, scratch, scratch, List.of(), Map.of()));
                cmd.add("/bin/sh");
                cmd.add("-c");
                cmd.add("echo ok > probe");
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "no scene sandbox: bwrap did not finish a trial run in 20 s";
                }
                if (p.exitValue() != 0 || !Files.exists(scratch.resolve("probe"))) {
                    return "no scene sandbox: bwrap cannot create one on this machine ("
                            + new String(out, StandardCharsets.UTF_8).strip()
                            + "). Allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) or run "
                            + "as root, or set " + POLICY_VARIABLE + "=off to run renderers unsandboxed (only for scenes you trust)";
                }
                return null;
            } finally {
                try (var walk = Files.walk(scratch)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            return "no scene sandbox: bwrap could not be tried: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no scene sandbox: interrupted while trying bwrap";
        }
    }

    /** Whether renderers run inside the sandbox ({@code false} only with {@code TESSERA_SANDBOX=off}). */
    public boolean enforced() {
        return enforced;
    }

    /** Why no sandbox can be made here (with what to do), or null when it works or is switched off. */
    public String unavailableReason() {
        return unavailable;
    }

    /**
     * A process builder for one renderer run: inside the sandbox when it is enforced, else directly; in both
     * cases with only {@code environment} (plus {@code PATH}, {@code HOME} = the scratch folder and
     * {@code LANG}), in the scratch folder as working directory, standard error merged into standard output.
     *
     * @param command     the renderer's command line; its executable's folder is readable when it lies
     *                    outside {@code /usr}
     * @param sceneFolder the scene's folder, readable, never writable
     * @param scratch     the only writable folder (outputs, POV-Ray's state file, Blender's temp files)
     * @param readable    further folders or files the renderer may read (e.g. its installation), or empty
     * @param environment further environment variables for the renderer, or empty
     * @throws EngineUnavailableException when the sandbox is required and cannot be made here
     */
    public ProcessBuilder builder(List<String> command, Path sceneFolder, Path scratch, List<Path> readable,
            Map<String, String> environment) throws EngineUnavailableException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", scratch.toString());
        env.put("LANG", "C.UTF-8");
        env.put("TMPDIR", "/tmp");
        env.putAll(environment);
        ProcessBuilder pb;
        if (!enforced) {
            pb = new ProcessBuilder(command);
        } else {
            if (unavailable != null) {
                throw new EngineUnavailableException(unavailable);
            }
            List<Path> ro = new ArrayList<>(readable);
            ro.add(sceneFolder);
            Path exe = Path.of(command.get(0)).toAbsolutePath().getParent();
            if (exe != null && !exe.startsWith("/usr")) {
                ro.add(exe);
            }
            List<String> cmd = new ArrayList<>(arguments(bwrap, sceneFolder, scratch, ro, env));
            cmd.addAll(command);
            pb = new ProcessBuilder(cmd);
        }
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.directory(scratch.toFile()).redirectErrorStream(true);
    }

    private static List<String> arguments(Path bwrap, Path scene, Path scratch, List<Path> readable, Map<String, String> env) {
        List<String> a = new ArrayList<>(List.of(bwrap.toString(), "--unshare-all", "--die-with-parent", "--new-session",
                "--ro-bind", "/usr", "/usr"));
        for (String top : ROOT_LINKS) {
            Path p = Path.of(top);
            try {
                if (Files.isSymbolicLink(p)) {
                    a.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), top));
                } else if (Files.isDirectory(p)) {
                    a.addAll(List.of("--ro-bind", top, top));
                }
            } catch (IOException e) {
                // an unreadable link: leave it out of the sandbox
            }
        }
        for (String etc : ETC) {
            if (Files.exists(Path.of(etc))) {
                a.addAll(List.of("--ro-bind", etc, etc));
            }
        }
        a.addAll(List.of("--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
        // later binds win: the readable folders first, then the scratch folder writable
        for (Path r : readable) {
            String s = r.toAbsolutePath().normalize().toString();
            if (!s.equals(scratch.toAbsolutePath().normalize().toString())) {
                a.addAll(List.of("--ro-bind", s, s));
            }
        }
        String w = scratch.toAbsolutePath().normalize().toString();
        a.addAll(List.of("--bind", w, w, "--chdir", w, "--clearenv"));
        for (Map.Entry<String, String> e : env.entrySet()) {
            a.addAll(List.of("--setenv", e.getKey(), e.getValue()));
        }
        a.add("--");
        return a;
    }

    @Override
    public String toString() {
        return !enforced ? "scene sandbox off (" + POLICY_VARIABLE + "=off)"
                : unavailable != null ? unavailable : "scene sandbox: " + bwrap;
    }
}
