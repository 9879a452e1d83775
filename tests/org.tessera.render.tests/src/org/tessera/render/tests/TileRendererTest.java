// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.LocalTileWorker;
import org.tessera.internal.render.core.PngImage;
import org.tessera.internal.render.raytracer.Raytracer;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.FramePattern;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderEvents;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileTask;
import org.tessera.render.core.TileWorker;
import org.tessera.testing.OsgiServices;

/** The TileRenderer service with real engines: failures, cancel, resume, events, atomic frames. */
class TileRendererTest {
    @TempDir
    Path dir;
    private RenderScene scene;
    private short[] reference;

    @BeforeEach
    void scene() throws Exception {
        scene = RenderScene.ofFile(RenderFixtures.exampleScenes(dir.resolve("scenes")).resolve("spheres.json"));
        RenderSettings s = RenderSettings.of(80, 60);
        reference = Raytracer.create().renderTile(scene, s.fullFrame(), s).rgb();
    }

    private RenderRequest request(String pattern) {
        return RenderRequest.of(scene, FrameRange.single(1), 80, 60, dir.resolve(pattern).toString()).withBitDepth(16);
    }

    private TileWorker local(String name) {
        RenderEngine engine = RenderFixtures.engine("raytracer");
        return new LocalTileWorker(name, n -> engine);
    }

    /** A worker that behaves for {@code good} tiles, then misbehaves as {@code bad} says. */
    private static TileWorker flaky(TileWorker inner, int good, java.util.function.Function<TileTask, TilePixels> bad) {
        AtomicInteger calls = new AtomicInteger();
        return new TileWorker() {
            @Override
            public String name() {
                return "flaky-" + inner.name();
            }

            @Override
            public int capacity() {
                return 1;
            }

            @Override
            public TilePixels render(TileTask task) throws Exception {
                if (calls.incrementAndGet() > good) {
                    return bad.apply(task);
                }
                return inner.render(task);
            }
        };
    }

    private void assertNoFilesBut(Path folder, String... names) throws Exception {
        if (!Files.exists(folder)) {
            assertEquals(0, names.length, "folder " + folder + " was never created");
            return;
        }
        try (var files = Files.list(folder)) {
            List<String> all = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of(names), all, "no partial or temporary files");
        }
    }

    @Test
    void bandsOfEqualCostCutWhereTheRunningCostCrossesEachShare() {
        double[] costs = new double[100];
        for (int y = 0; y < 100; y++) {
            costs[y] = y < 20 ? 4 : 1; // rows 0..19 cost as much as rows 20..99
        }
        assertEquals(List.of(new Tile(0, 0, 50, 20), new Tile(0, 20, 50, 80)),
                org.tessera.render.core.TilePlan.bandsByCost(50, 100, 2, costs).tiles());
        assertEquals(List.of(new Tile(0, 0, 50, 13), new Tile(0, 13, 50, 34), new Tile(0, 47, 50, 53)),
                org.tessera.render.core.TilePlan.bandsByCost(50, 100, 3, costs).tiles());
        // nothing measured, or a profile of another image: equal heights
        assertEquals(org.tessera.render.core.TilePlan.bands(50, 100, 2),
                org.tessera.render.core.TilePlan.bandsByCost(50, 100, 2, new double[100]));
        assertEquals(org.tessera.render.core.TilePlan.bands(50, 100, 2),
                org.tessera.render.core.TilePlan.bandsByCost(50, 100, 2, new double[99]));
        // all the cost in the last row: every band still has a row
        double[] last = new double[4];
        last[3] = 1;
        assertEquals(List.of(new Tile(0, 0, 8, 1), new Tile(0, 1, 8, 1), new Tile(0, 2, 8, 1), new Tile(0, 3, 8, 1)),
                org.tessera.render.core.TilePlan.bandsByCost(8, 4, 6, last).tiles());
    }

    @Test
    void malformedTilesAreRejectedAndRenderedElsewhere() throws Exception {
        TileWorker liar = flaky(local("a"), 0, t -> new TilePixels(t.tile(), new short[5]));
        TileWorker honest = flaky(local("b"), 0, t -> {
            try {
                Thread.sleep(100); // slow, so the liar surely gets tiles
                return local("b").render(t);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RenderJob job = RenderFixtures.renderer().start(request("out/m_#.png").withWorkers(List.of(liar, honest)), null);
        RenderResult r = job.await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(3, r.tilesRetried(), "each malformed answer re-queued until the liar is blocklisted");
        assertEquals(6, r.tilesRendered());
        assertArrayEquals(reference, PngImage.read(dir.resolve("out/m_1.png")).rgb());
    }

    @Test
    void aWorkerDyingMidFrameLeavesAnIdenticalFrame() throws Exception {
        TileWorker dying = flaky(local("a"), 2, t -> {
            throw new IllegalStateException("node killed");
        });
        RenderJob job = RenderFixtures.renderer().start(request("out/k_#.png").withWorkers(List.of(dying, local("b"))), null);
        RenderResult r = job.await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertArrayEquals(reference, PngImage.read(dir.resolve("out/k_1.png")).rgb());
        assertEquals(3 * 2, r.tilesRendered(), "80x60 in 32-pixel tiles, each pasted once");
    }

    @Test
    void workersJoinAndLeaveMidFrame() throws Exception {
        AtomicInteger slowTiles = new AtomicInteger();
        AtomicInteger joinerTiles = new AtomicInteger();
        TileWorker slow = flaky(local("slow"), 0, t -> {
            try {
                Thread.sleep(100);
                slowTiles.incrementAndGet();
                return local("s").render(t);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TileWorker joiner = flaky(local("joiner"), 0, t -> {
            try {
                joinerTiles.incrementAndGet();
                return local("j").render(t);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RenderJob job = RenderFixtures.renderer().start(RenderRequest.of(scene, FrameRange.single(1), 160, 120,
                dir.resolve("out/j_#.png").toString()).withBitDepth(16).withWorkers(List.of(slow)), null);
        Thread.sleep(350);
        job.addWorker(joiner);
        job.removeWorker(slow.name());
        RenderResult r = job.await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertTrue(slowTiles.get() >= 1 && joinerTiles.get() >= 1, slowTiles + " / " + joinerTiles);
        assertEquals(20, slowTiles.get() + joinerTiles.get(), "20 tiles, each rendered once");
        RenderSettings s = RenderSettings.of(160, 120);
        assertArrayEquals(Raytracer.create().renderTile(scene, s.fullFrame(), s).rgb(),
                PngImage.read(dir.resolve("out/j_1.png")).rgb());
    }

    @Test
    void aTileThatTakesTooLongIsRenderedElsewhere() throws Exception {
        AtomicInteger stuck = new AtomicInteger();
        TileWorker hanging = new TileWorker() {
            @Override
            public String name() {
                return "hanging";
            }

            @Override
            public int capacity() {
                return 1;
            }

            @Override
            public TilePixels render(TileTask task) {
                stuck.incrementAndGet();
                long end = System.nanoTime() + 8_000_000_000L;
                while (System.nanoTime() < end) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        // deaf to interrupts, like a read on a dead socket
                    }
                }
                throw new IllegalStateException("gave up");
            }
        };
        TileWorker b = local("b");
        TileWorker afterHanging = new TileWorker() { // b starts once the hanging worker holds a tile
            @Override
            public String name() {
                return b.name();
            }

            @Override
            public int capacity() {
                return b.capacity();
            }

            @Override
            public TilePixels render(TileTask task) throws Exception {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (stuck.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                return b.render(task);
            }
        };
        long t0 = System.nanoTime();
        RenderResult r = RenderFixtures.renderer().start(request("out/t_#.png").withWorkers(List.of(hanging, afterHanging))
                .withTileTimeout(Duration.ofMillis(300)), null).await();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertTrue(millis < 6000, "the job waited for the hanging worker's 8 s: " + millis + " ms");
        assertEquals(1, stuck.get(), "the hanging worker took one tile");
        assertEquals(1, r.tilesRetried(), "its tile was handed out again after the timeout");
        assertEquals(6, r.tilesRendered());
        assertArrayEquals(reference, PngImage.read(dir.resolve("out/t_1.png")).rgb());
    }

    @Test
    void allWorkersDeadFailsClearlyWithoutAFrameFile() throws Exception {
        TileWorker dead1 = flaky(local("a"), 0, t -> {
            throw new IllegalStateException("connection refused");
        });
        TileWorker dead2 = flaky(local("b"), 1, t -> {
            throw new IllegalStateException("connection reset");
        });
        RenderResult r = RenderFixtures.renderer().start(request("out/d_#.png").withWorkers(List.of(dead1, dead2)), null)
                .await();
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.error().contains("all 2 workers failed") && r.error().contains("connection"), r.error());
        assertTrue(r.written().isEmpty());
        assertNoFilesBut(dir.resolve("out"));
    }

    @Test
    void cancelStopsQuicklyAndWritesNoPartialFrame() throws Exception {
        TileWorker slow = new TileWorker() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public int capacity() {
                return 2;
            }

            @Override
            public TilePixels render(TileTask task) throws Exception {
                Thread.sleep(300);
                return local("x").render(task);
            }
        };
        Files.createDirectories(dir.resolve("out"));
        RenderJob job = RenderFixtures.renderer().start(RenderRequest.of(scene, FrameRange.single(1), 320, 240,
                dir.resolve("out/c_#.png").toString()).withWorkers(List.of(slow)), null);
        Thread.sleep(700);
        long t0 = System.nanoTime();
        job.cancel();
        RenderResult r = job.await(Duration.ofSeconds(5));
        assertNotNull(r, "cancel must end the job within seconds");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000, "stopped quickly");
        assertEquals(JobState.CANCELLED, r.state());
        assertTrue(r.tilesRendered() > 0 && r.tilesRendered() < 80, "cancelled mid-frame: " + r.tilesRendered());
        assertNoFilesBut(dir.resolve("out"));
    }

    @Test
    void rerunSkipsFinishedFrames() throws Exception {
        RenderRequest req = RenderRequest.of(scene, FrameRange.parse("1 3"), 40, 30, dir.resolve("out/r_###.png").toString())
                .withLocalWorkers(2);
        RenderResult first = RenderFixtures.renderer().start(req, null).await();
        assertEquals(3, first.written().size(), String.valueOf(first));
        Files.delete(dir.resolve("out/r_002.png"));
        long before = Files.getLastModifiedTime(dir.resolve("out/r_001.png")).toMillis();
        RenderResult again = RenderFixtures.renderer().start(req, null).await();
        assertEquals(JobState.FINISHED, again.state());
        assertEquals(List.of(1, 3), again.skipped());
        assertEquals(List.of(dir.resolve("out/r_002.png")), again.written());
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("out/r_001.png")).toMillis());
        assertNoFilesBut(dir.resolve("out"), "r_001.png", "r_002.png", "r_003.png");
    }

    @Test
    void eventsAreDeclaredTopicsWithTheirKeys() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, RenderEvents.ALL);
        ServiceRegistration<EventHandler> reg = OsgiServices.context().registerService(EventHandler.class, events::add, props);
        try {
            RenderResult r = RenderFixtures.renderer().start(request("out/e_#.png").withLocalWorkers(2)
                    .withProject("shot", "ann"), null).await();
            assertEquals(JobState.FINISHED, r.state());
            long deadline = System.currentTimeMillis() + 5000;
            while (events.stream().noneMatch(e -> e.getTopic().equals(RenderEvents.JOB_FINISHED))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            reg.unregister();
        }
        List<String> topics = events.stream().map(Event::getTopic).toList();
        assertEquals("org/tessera/render/job/STARTED", topics.get(0));
        assertEquals(6, topics.stream().filter("org/tessera/render/tile/FINISHED"::equals).count());
        Event frame = events.stream().filter(e -> e.getTopic().equals("org/tessera/render/frame/FINISHED")).findFirst()
                .orElseThrow();
        for (String key : List.of("job", "project", "layer", "frame", "node", "renderMillis", "memoryMB", "cpuPercent",
                "path")) {
            assertNotNull(frame.getProperty(key), key);
        }
        assertEquals(dir.resolve("out/e_1.png").toString(), frame.getProperty("path"));
        Event tile = events.stream().filter(e -> e.getTopic().equals(RenderEvents.TILE_FINISHED)).findFirst().orElseThrow();
        for (String key : List.of("job", "project", "frame", "node", "tileX", "tileY", "tileWidth", "tileHeight", "millis")) {
            assertNotNull(tile.getProperty(key), key);
        }
        Event end = events.stream().filter(e -> e.getTopic().equals(RenderEvents.JOB_FINISHED)).findFirst().orElseThrow();
        assertEquals("FINISHED", end.getProperty("state"));
        assertEquals("shot", end.getProperty("project"));
        assertEquals("ann", end.getProperty("user"));
        assertEquals("raytracer", end.getProperty("app"));
    }

    @Test
    void eightBitFramesRoundTheSixteenBitSamples() throws Exception {
        RenderResult r = RenderFixtures.renderer().start(request("out/b_#.png").withBitDepth(8), null).await();
        PngImage eight = PngImage.read(r.written().get(0));
        for (int i = 0; i < reference.length; i++) {
            assertEquals(PngImage.to8(reference[i] & 0xFFFF) * 257, eight.rgb()[i] & 0xFFFF, "sample " + i);
        }
    }

    @Test
    void unknownEngineAndMissingSceneAreClearErrors() {
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> RenderFixtures.renderer().start(request("x.png").withEngine("mental-ray"), null));
        assertTrue(e.getMessage().contains("mental-ray") && e.getMessage().contains("raytracer"), e.getMessage());
        RenderRequest missing = RenderRequest.of(RenderScene.ofFile(dir.resolve("nope.json")), FrameRange.single(1), 8, 8,
                "x.png");
        assertThrows(org.tessera.render.core.SceneException.class, () -> RenderFixtures.renderer().start(missing, null));
    }

    @Test
    void framePatternPadsAndAppends() {
        assertEquals(Path.of("/o/a_0007.png"), FramePattern.of("a_####.png").file(Path.of("/o"), 7));
        assertEquals(Path.of("/o/a_-03.png"), FramePattern.of("a_##").file(Path.of("/o"), -3));
        assertEquals(Path.of("/o/shot_12345.png"), FramePattern.of("shot").file(Path.of("/o"), 12345));
        assertFalse(FramePattern.of("x").toString().isEmpty());
    }
}
