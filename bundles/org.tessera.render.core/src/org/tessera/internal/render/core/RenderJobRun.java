// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.tessera.core.TesseraEvents;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.JobState;
import org.tessera.render.core.MalformedTileException;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderEvents;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderProgress;
import org.tessera.render.core.RenderProgressListener;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.StereoEye;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TilePlan;
import org.tessera.render.core.TileTask;
import org.tessera.render.core.TileWorker;

/** One job: walks the frames, feeds the scheduler tile by tile, assembles and writes frames. */
public final class RenderJobRun implements RenderJob {

    /** Where events go (EventAdmin in the component, a list in tests). */
    @FunctionalInterface
    public interface EventSink {
        void post(String topic, Map<String, Object> properties);
    }

    /**
     * Follows a job frame by frame (the render tracker); called on render threads, must not throw.
     * The default methods do nothing.
     */
    public interface Observer {
        /** The job starts; {@code frames} are all its frames, {@code skipped} those already on disk. */
        default void jobStarted(String jobId, List<Integer> frames, List<Integer> skipped, Map<Integer, Path> files) {
        }

        /** The first tile of {@code frame} was handed out. */
        default void frameStarted(int frame, Path file) {
        }

        /** {@code fraction} of the frame's tiles are in. */
        default void frameProgress(int frame, double fraction) {
        }

        /** The frame file was written. */
        default void frameWritten(int frame, Path file) {
        }

        /** The job ended; {@code unfinished} frames have no file. */
        default void jobEnded(JobState state, String error, List<Integer> unfinished, List<Integer> started) {
        }
    }

    private static final int MAX_FAILURES_PER_WORKER = 3;

    private final String id;
    private final RenderRequest request;
    private final RenderEngine engine;
    private final RenderProgressListener listener;
    private final EventSink events;
    private final TileScheduler scheduler;
    private final CompletableFuture<RenderResult> result = new CompletableFuture<>();
    private final long startedNanos = System.nanoTime();
    private final List<Integer> pendingFrames = new ArrayList<>();
    private final List<Integer> skipped = new ArrayList<>();
    private final List<Path> written = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, FrameCanvas> canvases = new HashMap<>();
    private final Map<Integer, TilePlan> plans = new HashMap<>();
    private final RowCostProfiles profiles;
    private final String profileKey;
    private final int plannedWorkers;
    private TilePlan plan;
    private volatile int tilesTotal;
    private volatile JobState state = JobState.RUNNING;
    private volatile RenderProgress progress;
    private final Observer observer;
    private final Map<String, Integer> tilesByWorker = new java.util.TreeMap<>();
    private final Map<Integer, Integer> tilesByFrame = new HashMap<>();
    private final List<Integer> startedFrames = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> writtenFrames = Collections.synchronizedList(new ArrayList<>());
    private int nextFrameIndex;
    private int nextTileIndex;
    private int tilesDone;
    private int framesDone;

    public RenderJobRun(String id, RenderRequest request, RenderEngine engine, List<TileWorker> workers,
            RenderProgressListener listener, EventSink events) {
        this(id, request, engine, workers, listener, events, null);
    }

    /** @param observer follows the job frame by frame (the render tracker); null for none */
    public RenderJobRun(String id, RenderRequest request, RenderEngine engine, List<TileWorker> workers,
            RenderProgressListener listener, EventSink events, Observer observer) {
        this(id, request, engine, workers, listener, events, observer, null);
    }

    /**
     * @param observer follows the job frame by frame (the render tracker); null for none
     * @param profiles row-cost profiles to plan balanced bands from and to learn into; null for none
     */
    public RenderJobRun(String id, RenderRequest request, RenderEngine engine, List<TileWorker> workers,
            RenderProgressListener listener, EventSink events, Observer observer, RowCostProfiles profiles) {
        this.id = id;
        this.profiles = profiles;
        this.observer = observer == null ? new Observer() {
        } : observer;
        this.request = request;
        this.engine = engine;
        this.listener = listener;
        this.events = events;
        PrimitiveIterator.OfInt it = request.frames().intIterator();
        while (it.hasNext()) {
            int f = it.nextInt();
            Path file = request.frameFile(f);
            // a file recording other settings is rendered again (TileRendererComponent refuses such jobs first)
            if (Files.exists(file) && !request.force() && recordedOtherwise(file, f, request, engine.name()) == null) {
                skipped.add(f);
            } else {
                pendingFrames.add(f);
            }
        }
        this.profileKey = profiles == null ? null : RowCostProfiles.key(engine.name(), request);
        this.plannedWorkers = Math.max(1, workers.size());
        this.plan = planFrame();
        this.tilesTotal = plan.tiles().size() * pendingFrames.size();
        this.framesDone = skipped.size();
        this.scheduler = new TileScheduler(id, this::nextTile, this::accept, MAX_FAILURES_PER_WORKER,
                request.tileTimeout());
        workers.forEach(scheduler::addWorker);
        this.progress = new RenderProgress(id, 0, tilesTotal, framesDone, framesDone + pendingFrames.size(), 0);
    }

    /**
     * The request's tile size where the engine cuts a grid ({@link EngineCapability#TILE_GRID}), else the
     * engine's plan given the learned row costs ({@code null} when none).
     */
    static TilePlan planFor(RenderEngine engine, RenderRequest request, int workers, double[] rowCosts) {
        if (request.tileSize() > 0 && engine.capabilities().contains(EngineCapability.TILE_GRID)) {
            return TilePlan.grid(request.width(), request.height(), request.tileSize(), request.tileSize());
        }
        return engine.planTiles(request.scene(), request.width(), request.height(), workers, rowCosts);
    }

    /** Starts the job on its own thread. */
    public RenderJobRun start() {
        post(RenderEvents.JOB_STARTED, jobProperties(JobState.RUNNING));
        List<Integer> all = new ArrayList<>(skipped);
        all.addAll(pendingFrames);
        all.sort(null);
        Map<Integer, Path> files = new HashMap<>();
        all.forEach(f -> files.put(f, request.frameFile(f).toAbsolutePath()));
        observe(() -> observer.jobStarted(id, all, List.copyOf(skipped), files));
        Thread t = new Thread(this::runJob, "tessera-render-job-" + id);
        t.setDaemon(true);
        t.start();
        return this;
    }

    @Override
    public void addWorker(TileWorker worker) {
        scheduler.addWorker(worker);
    }

    @Override
    public void removeWorker(String name) {
        scheduler.removeWorker(name);
    }

    /** Names of the workers taking tiles now. */
    public List<String> activeWorkers() {
        return scheduler.activeWorkers();
    }

    @Override
    public java.util.Map<String, String> lostWorkers() {
        return scheduler.blocklistReasons();
    }

    @Override
    public boolean noWorkerLeft() {
        return state() == JobState.FAILED && scheduler.allWorkersBlocklisted();
    }

    private void runJob() {
        String error = null;
        JobState end;
        try {
            scheduler.run();
            end = JobState.FINISHED;
        } catch (CancellationException e) {
            end = JobState.CANCELLED;
        } catch (RenderException e) {
            end = JobState.FAILED;
            error = e.getMessage();
        } catch (InterruptedException e) {
            end = JobState.CANCELLED;
        } catch (RuntimeException e) {
            end = JobState.FAILED;
            error = e.toString();
        }
        state = end;
        Map<String, Object> props = jobProperties(end);
        if (error != null) {
            props.put(RenderEvents.ERROR, error);
        }
        post(RenderEvents.JOB_FINISHED, props);
        List<Integer> unfinished = new ArrayList<>(pendingFrames);
        unfinished.removeAll(writtenFrames);
        JobState endState = end;
        String endError = error;
        List<Integer> started = List.copyOf(startedFrames);
        observe(() -> observer.jobEnded(endState, endError, unfinished, started));
        List<Path> files;
        synchronized (written) {
            files = new ArrayList<>(written);
        }
        files.sort(null);
        result.complete(new RenderResult(id, end, List.copyOf(files), List.copyOf(skipped), error,
                scheduler.tilesDone(), scheduler.tilesRetried(), elapsedMillis()));
    }

    /** Called by the scheduler under its lock. */
    private TileTask nextTile() {
        if (nextFrameIndex >= pendingFrames.size()) {
            return null;
        }
        int frame = pendingFrames.get(nextFrameIndex);
        int index = nextTileIndex;
        if (index == 0) {
            if (nextFrameIndex > 0) {
                // what the frames before measured balances this one
                int before = plan.tiles().size();
                plan = planFrame();
                tilesTotal += plan.tiles().size() - before;
            }
            synchronized (canvases) {
                plans.put(frame, plan);
                canvases.put(frame, new FrameCanvas(frame, request.width(), request.height(), plan.tiles().size()));
            }
            startedFrames.add(frame);
            Path file = request.frameFile(frame).toAbsolutePath();
            observe(() -> observer.frameStarted(frame, file));
        }
        Tile tile = plan.tiles().get(index);
        nextTileIndex++;
        if (nextTileIndex == plan.tiles().size()) {
            nextTileIndex = 0;
            nextFrameIndex++;
        }
        // the job's own output folder is never sent to nodes (old frames would go with every scene upload)
        RenderScene scene = request.scene().excluding(request.frameFile(frame).getParent());
        return new TileTask(id, engine.name(), scene, frame, tile, settingsFor(request, frame));
    }

    /** The tiles of the next frame: balanced by the learned row costs when the engine uses them. */
    private TilePlan planFrame() {
        double[] costs = profiles == null ? null : profiles.get(profileKey, request.height());
        return planFor(engine, request, plannedWorkers, costs);
    }

    /** The settings every tile of {@code frame} is rendered with. */
    static RenderSettings settingsFor(RenderRequest request, int frame) {
        int first = request.frames().first();
        int last = request.frames().last();
        double clock = last == first ? 0.0 : (double) (frame - first) / (last - first);
        return new RenderSettings(request.width(), request.height(), request.antialias(), clock, request.eye(), 1,
                request.display(), request.engineOptions(), request.engineIni());
    }

    /**
     * What a frame file records of the settings it was rendered with (PNG {@code tEXt} chunk
     * {@value PngImage#SETTINGS_KEY}): the engine, size, antialiasing, animation clock, eye, bit depth, the
     * user's engine options and a hash of their INI text. A later job skips the frame only when this is
     * the same.
     */
    static String settingsRecord(RenderRequest request, String engine, int frame) {
        RenderSettings s = settingsFor(request, frame);
        String ini = "none";
        if (!s.engineIni().isEmpty()) {
            try {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(s.engineIni().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ini = "sha256:" + java.util.HexFormat.of().formatHex(d, 0, 12);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        String text = String.format(java.util.Locale.ROOT, "engine=%s size=%dx%d antialias=%d clock=%.9f eye=%s bits=%d "
                + "options=[%s] ini=%s", engine, s.width(), s.height(), s.antialias(), s.clock(), s.eye(),
                request.bitDepth(), s.engineOptions(), ini);
        // as a tEXt chunk keeps it (Latin-1)
        return new String(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Null when the existing frame file may be skipped: it records this job's settings, or records none
     * (written by an older Tessera or another tool) and has the job's size. Otherwise what it records.
     */
    static String recordedOtherwise(Path file, int frame, RenderRequest request, String engine) {
        PngImage.Header h;
        try {
            h = PngImage.header(file);
        } catch (IOException e) {
            return "no readable PNG image (" + e.getMessage() + ")";
        }
        String recorded = h.text().get(PngImage.SETTINGS_KEY);
        if (recorded == null) {
            return h.width() == request.width() && h.height() == request.height() ? null
                    : "size=" + h.width() + "x" + h.height();
        }
        return recorded.equals(settingsRecord(request, engine, frame)) ? null : recorded;
    }

    /**
     * The frames of {@code request} whose files exist with other settings, each with what its file records
     * (empty with {@link RenderRequest#force()}).
     */
    public static java.util.SortedMap<Integer, String> staleFrames(RenderRequest request, String engine) {
        java.util.SortedMap<Integer, String> stale = new java.util.TreeMap<>();
        if (request.force()) {
            return stale;
        }
        PrimitiveIterator.OfInt it = request.frames().intIterator();
        while (it.hasNext()) {
            int f = it.nextInt();
            Path file = request.frameFile(f);
            if (Files.exists(file)) {
                String other = recordedOtherwise(file, f, request, engine);
                if (other != null) {
                    stale.put(f, other);
                }
            }
        }
        return stale;
    }

    private boolean accept(TileTask task, TilePixels pixels, String node, long millis)
            throws MalformedTileException, IOException {
        FrameCanvas canvas;
        TilePlan framePlan;
        synchronized (canvases) {
            canvas = canvases.get(task.frame());
            framePlan = plans.get(task.frame());
        }
        if (canvas == null || framePlan == null) {
            pixels.validate(task.tile());
            return false; // frame already written: a late duplicate
        }
        int index = framePlan.tiles().indexOf(task.tile());
        if (!canvas.paste(index, task.tile(), pixels, node)) {
            return false;
        }
        if (profiles != null && pixels.rowSeconds() != null) {
            profiles.record(profileKey, request.height(), task.tile(), pixels.rowSeconds());
        }
        Map<String, Object> tile = base();
        tile.put(RenderEvents.FRAME, task.frame());
        tile.put(RenderEvents.NODE, node);
        tile.put(RenderEvents.TILE_X, task.tile().x());
        tile.put(RenderEvents.TILE_Y, task.tile().y());
        tile.put(RenderEvents.TILE_WIDTH, task.tile().width());
        tile.put(RenderEvents.TILE_HEIGHT, task.tile().height());
        tile.put(RenderEvents.MILLIS, millis);
        post(RenderEvents.TILE_FINISHED, tile);
        try {
            listener.tileFinished(task.frame(), pixels, node);
        } catch (RuntimeException e) {
            // a live view's failure must not fail the render
        }
        int landed;
        synchronized (tilesByWorker) {
            tilesByWorker.merge(node, 1, Integer::sum);
            landed = tilesByFrame.merge(task.frame(), 1, Integer::sum);
        }
        int tileCount = framePlan.tiles().size();
        if (landed < tileCount) {
            observe(() -> observer.frameProgress(task.frame(), (double) landed / tileCount));
        }
        boolean frameDone = false;
        if (canvas.complete()) {
            synchronized (canvases) {
                frameDone = canvases.remove(task.frame(), canvas);
                if (frameDone) {
                    plans.remove(task.frame());
                }
            }
        }
        if (frameDone) {
            Path file = request.frameFile(task.frame());
            (request.display().showTiles() ? canvas.imageWithTiles(framePlan.tiles()) : canvas.image())
                    .writeAtomically(file, request.bitDepth(),
                            Map.of(PngImage.SETTINGS_KEY, settingsRecord(request, engine.name(), task.frame())));
            written.add(file);
            writtenFrames.add(task.frame());
            observe(() -> observer.frameWritten(task.frame(), file.toAbsolutePath()));
            Runtime rt = Runtime.getRuntime();
            Map<String, Object> frame = base();
            frame.put(RenderEvents.LAYER, "");
            frame.put(RenderEvents.FRAME, task.frame());
            frame.put(RenderEvents.NODE, canvas.mainNode());
            frame.put(RenderEvents.RENDER_MILLIS, canvas.elapsedMillis());
            frame.put(RenderEvents.MEMORY_MB, (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
            frame.put(RenderEvents.CPU_PERCENT, canvas.cpuPercent());
            frame.put(RenderEvents.PATH, file.toAbsolutePath().toString());
            post(RenderEvents.FRAME_FINISHED, frame);
        }
        synchronized (this) {
            tilesDone++;
            if (frameDone) {
                framesDone++;
            }
            progress = new RenderProgress(id, tilesDone, tilesTotal, framesDone, progress.framesTotal(),
                    elapsedMillis());
        }
        listener.progress(progress);
        return true;
    }

    /** Tiles accepted so far, by worker name. */
    public Map<String, Integer> tilesByWorker() {
        synchronized (tilesByWorker) {
            return new java.util.TreeMap<>(tilesByWorker);
        }
    }

    private static void observe(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // tracking must never fail the render
        }
    }

    private Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put(RenderEvents.JOB, id);
        m.put(RenderEvents.PROJECT, request.project());
        return m;
    }

    private Map<String, Object> jobProperties(JobState s) {
        Map<String, Object> m = base();
        m.put(RenderEvents.USER, request.user());
        m.put(RenderEvents.APP, engine.name());
        m.put(RenderEvents.STATE, s.name());
        return m;
    }

    private void post(String topic, Map<String, Object> properties) {
        properties.put(TesseraEvents.TIMESTAMP, System.currentTimeMillis());
        try {
            events.post(topic, properties);
        } catch (RuntimeException e) {
            // an event consumer's failure must not fail the render
        }
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public JobState state() {
        return state;
    }

    @Override
    public RenderProgress progress() {
        return progress;
    }

    @Override
    public void cancel() {
        scheduler.cancel();
    }

    @Override
    public RenderResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public RenderResult await(Duration timeout) throws InterruptedException {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
