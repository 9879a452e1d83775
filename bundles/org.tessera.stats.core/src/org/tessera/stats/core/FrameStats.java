// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tessera.internal.stats.core.BinaryReader;
import org.tessera.internal.stats.core.BinaryWriter;
import org.tessera.internal.stats.core.Percent;
import org.tessera.internal.stats.core.StatsContainer;

/**
 * Per-frame stats of one job ({@code _frameStatJob}); {@code frame(0)} is the first frame the job
 * rendered, not frame 0 of the scene.
 *
 * @param job the job id
 * @param frames one entry per rendered frame
 */
public record FrameStats(String job, List<FrameStat> frames) {
    /** Parts per frame. */
    public static final int PARTS = 5;
    /** Bytes per frame record. */
    public static final int FRAME_SIZE = 104;
    static final int CLIENT_BYTES = 50;

    public FrameStats {
        frames = List.copyOf(frames);
    }

    public FrameStat frame(int idx) {
        return frames.get(idx);
    }

    public int frameCount() {
        return frames.size();
    }

    public static FrameStats load(Path file) throws StatsFormatException {
        return decode(StatsContainer.load(file, StatsKind.FRAMES), file.toString());
    }

    public static FrameStats decode(ByteBuffer payload, String source) throws StatsFormatException {
        BinaryReader r = new BinaryReader(payload, source);
        String job = r.str16(1024, "job id");
        int n = r.count(r.u32("frame count"), 10_000_000, FRAME_SIZE, "frame count");
        if (r.remaining() != (long) n * FRAME_SIZE) {
            throw new StatsFormatException(StatsFormatException.Reason.TRAILING_DATA, source + ": " + n
                    + " frames need " + (long) n * FRAME_SIZE + " bytes but " + r.remaining() + " follow");
        }
        List<FrameStat> frames = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            long start = r.u32("logFileStart");
            int startFrame = r.i32("logFileStartFrame");
            int time = r.u16("renderTime5Sec");
            int nr = r.u16("frameNrJob");
            int avg = r.u8("averageValue");
            int len = r.u8("client length");
            int before = r.position();
            String client = r.utf8(len, CLIENT_BYTES, "client");
            r.skip(CLIENT_BYTES - (r.position() - before), "client padding");
            List<FramePart> parts = new ArrayList<>(PARTS);
            for (int p = 0; p < PARTS; p++) {
                int mem = r.u16("jobMemoryMB");
                float cpu = r.u16("jobCPU") / 10000f;
                float other = r.u16("nonJobCPU") / 10000f;
                int threads = r.u8("renderThreads");
                r.skip(1, "reserved");
                parts.add(new FramePart(mem, cpu, other, threads));
            }
            frames.add(new FrameStat(start, startFrame, time, nr, client, avg, parts));
        }
        return new FrameStats(job, frames);
    }

    public ByteBuffer encode() {
        BinaryWriter w = new BinaryWriter(16 + frames.size() * FRAME_SIZE);
        w.str16(job, 1024, "job id").u32(frames.size(), "frame count");
        for (FrameStat f : frames) {
            byte[] client = BinaryWriter.utf8(f.client(), CLIENT_BYTES, "client");
            w.u32(f.logFileStart(), "logFileStart").i32(f.logFileStartFrame()).u16(f.renderTime5Sec(), "renderTime5Sec")
                    .u16(f.frameNrJob(), "frameNrJob").u8(f.averageValue(), "averageValue")
                    .u8(client.length, "client length").bytes(client).zeros(CLIENT_BYTES - client.length);
            for (FramePart p : f.parts()) {
                w.u16(p.jobMemoryMB(), "jobMemoryMB").u16(Percent.encode(p.jobCPU()), "jobCPU")
                        .u16(Percent.encode(p.nonJobCPU()), "nonJobCPU").u8(p.renderThreads(), "renderThreads").zeros(1);
            }
        }
        return w.toBuffer();
    }

    public void write(Path file) throws IOException {
        StatsContainer.write(file, StatsKind.FRAMES, encode());
    }
}
