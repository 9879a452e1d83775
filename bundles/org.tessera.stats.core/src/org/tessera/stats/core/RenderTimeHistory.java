// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tessera.internal.stats.core.BinaryReader;
import org.tessera.internal.stats.core.BinaryWriter;
import org.tessera.internal.stats.core.StatsContainer;

/**
 * Render-time history ({@code _StatsRenderTime}): every finished job adds its average frame time
 * to its project's layer; each layer keeps the last {@link #MAX_TIMES}, newest at index 0.
 *
 * @param settingsFileDate when the file was saved, seconds since 1970 ({@code rrTime})
 * @param projects the projects
 */
public record RenderTimeHistory(long settingsFileDate, List<RenderTimeProject> projects) {
    /** Jobs kept per layer. */
    public static final int MAX_TIMES = 100;
    static final int NAME_BYTES = 50;

    public RenderTimeHistory {
        projects = List.copyOf(projects);
    }

    public int count() {
        return projects.size();
    }

    public RenderTimeProject getProject(int idx) {
        return projects.get(idx);
    }

    /**
     * A copy with one job added: its average frame time goes to position 0 of the layer, the oldest
     * beyond {@link #MAX_TIMES} drops off, and {@code jobsAdded} counts up (saturating at 32767).
     */
    public RenderTimeHistory withJob(String project, String layer, int frameTime, long now) {
        int time = Math.max(0, Math.min(0xFFFF, frameTime));
        String p = BinaryWriter.fit(project, NAME_BYTES);
        String l = BinaryWriter.fit(layer, NAME_BYTES);
        List<RenderTimeProject> ps = new ArrayList<>(projects);
        int pi = indexOf(ps.stream().map(RenderTimeProject::name).toList(), p);
        RenderTimeProject old = pi >= 0 ? ps.get(pi) : new RenderTimeProject(p, now, List.of());
        List<RenderTimeLayer> ls = new ArrayList<>(old.layers());
        int li = indexOf(ls.stream().map(RenderTimeLayer::name).toList(), l);
        RenderTimeLayer oldLayer = li >= 0 ? ls.get(li) : new RenderTimeLayer(l, 0, List.of());
        List<Integer> times = new ArrayList<>(MAX_TIMES);
        times.add(time);
        times.addAll(oldLayer.frameTimes().subList(0, Math.min(MAX_TIMES - 1, oldLayer.timesCount())));
        RenderTimeLayer layerNow = new RenderTimeLayer(l, Math.min(Short.MAX_VALUE, oldLayer.jobsAdded() + 1), times);
        if (li >= 0) {
            ls.set(li, layerNow);
        } else {
            ls.add(layerNow);
        }
        RenderTimeProject projectNow = new RenderTimeProject(p, now, ls);
        if (pi >= 0) {
            ps.set(pi, projectNow);
        } else {
            ps.add(projectNow);
        }
        return new RenderTimeHistory(now, ps);
    }

    private static int indexOf(List<String> names, String name) {
        return names.indexOf(name);
    }

    public static RenderTimeHistory load(Path file) throws StatsFormatException {
        return decode(StatsContainer.load(file, StatsKind.RENDER_TIMES), file.toString());
    }

    public static RenderTimeHistory decode(ByteBuffer payload, String source) throws StatsFormatException {
        BinaryReader r = new BinaryReader(payload, source);
        long date = r.i64("settingsFileDate");
        int pc = r.count(r.u16("project count"), 0xFFFF, 11, "project count");
        List<RenderTimeProject> ps = new ArrayList<>(pc);
        for (int p = 0; p < pc; p++) {
            long lastUsed = r.i64("lastUsed");
            String name = r.str8(NAME_BYTES, "project name");
            int lc = r.count(r.u16("layer count"), 0xFFFF, 4, "layer count of " + name);
            List<RenderTimeLayer> ls = new ArrayList<>(lc);
            for (int l = 0; l < lc; l++) {
                int added = r.i16("jobsAdded");
                String lname = r.str8(NAME_BYTES, "layer name");
                int tc = r.count(r.u8("times count"), MAX_TIMES, 2, "times count of " + name + "/" + lname);
                List<Integer> times = new ArrayList<>(tc);
                for (int t = 0; t < tc; t++) {
                    times.add(r.u16("frame time"));
                }
                ls.add(new RenderTimeLayer(lname, added, times));
            }
            ps.add(new RenderTimeProject(name, lastUsed, ls));
        }
        if (r.remaining() != 0) {
            throw new StatsFormatException(StatsFormatException.Reason.TRAILING_DATA,
                    source + ": " + r.remaining() + " unexpected bytes after the last project");
        }
        return new RenderTimeHistory(date, ps);
    }

    public ByteBuffer encode() {
        BinaryWriter w = new BinaryWriter(1024);
        w.i64(settingsFileDate).u16(projects.size(), "project count");
        for (RenderTimeProject p : projects) {
            w.i64(p.lastUsed()).str8(p.name(), NAME_BYTES, "project name").u16(p.layerCount(), "layer count");
            for (RenderTimeLayer l : p.layers()) {
                if (l.timesCount() > MAX_TIMES) {
                    throw new IllegalArgumentException(l.name() + " keeps " + l.timesCount() + " times; at most " + MAX_TIMES);
                }
                w.i16(l.jobsAdded(), "jobsAdded").str8(l.name(), NAME_BYTES, "layer name").u8(l.timesCount(), "times count");
                for (int t : l.frameTimes()) {
                    w.u16(t, "frame time");
                }
            }
        }
        return w.toBuffer();
    }

    public void write(Path file) throws IOException {
        StatsContainer.write(file, StatsKind.RENDER_TIMES, encode());
    }
}
