// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.PngImage;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.JobState;
import org.tessera.render.core.MalformedTileException;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderEvents;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileWire;
import org.tessera.testing.OsgiServices;

/** The POV-Ray engine: bands on 3 workers assembled == one full povray render; clock animation; errors. */
class PovrayTest {
    @TempDir
    Path dir;

    private static RenderEngine povray() {
        return RenderFixtures.engine("povray");
    }

    private static short[] fullRender(RenderScene scene, RenderSettings s) throws Exception {
        return povray().renderTile(scene, 0, s.fullFrame(), s).rgb();
    }

    @ParameterizedTest
    @ValueSource(strings = { "advanced/benchmark/benchmark.pov", "advanced/biscuit.pov", "objects/blob.pov" })
    void tilesOnThreeWorkersEqualOneFullRender(String name) throws Exception {
        RenderScene scene = RenderScene.ofFile(RenderFixtures.POVRAY_SCENES.resolve(name));
        boolean benchmark = name.contains("benchmark");
        if (benchmark) {
            // benchmark.pov's area light is jittered: random samples drawn in render order, so its penumbra
            // differs between any two renders of different regions. Without jitter it is deterministic.
            Path copy = dir.resolve("scene/benchmark.pov");
            Files.createDirectories(copy.getParent());
            String text = Files.readString(scene.file());
            assertTrue(text.contains("      jitter\n"), "benchmark.pov has a jittered area light");
            Files.writeString(copy, text.replace("      jitter\n", "\n"));
            scene = RenderScene.ofFile(copy);
        }
        // benchmark.pov costs ~15 s of parsing and photon shooting per process here, whatever the size
        int w = benchmark ? 64 : 160;
        int h = w * 3 / 4;
        RenderRequest req = RenderRequest.of(scene, FrameRange.single(1), w, h, dir.resolve("f_#.png").toString())
                .withLocalWorkers(3).withBitDepth(16);
        RenderResult r = RenderFixtures.renderer().start(req, null).await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(3, r.tilesRendered(), "one band per worker");
        short[] tiled = PngImage.read(dir.resolve("f_1.png")).rgb();
        short[] whole = fullRender(scene, RenderSettings.of(w, h));
        assertArrayEquals(whole, tiled, name + ": assembled frame differs from a single povray render");
    }

    @Test
    void antialiasedTilesAreCloseToAFullRender() throws Exception {
        RenderScene scene = RenderScene.ofFile(RenderFixtures.POVRAY_SCENES.resolve("advanced/biscuit.pov"));
        RenderSettings s = RenderSettings.of(160, 120).withAntialias(3);
        short[] whole = fullRender(scene, s);
        short[] canvas = new short[whole.length];
        for (Tile t : org.tessera.render.core.TilePlan.bands(160, 120, 6).tiles()) {
            povray().renderTile(scene, 0, t, s).pasteInto(canvas, 160);
        }
        double psnr = RenderFixtures.psnr(whole, canvas);
        int max = RenderFixtures.maxDifference(whole, canvas);
        System.out.printf("POV-Ray +A0.3 +AM2 +R3 biscuit 160x120, 6 bands vs full: PSNR %.1f dB, max diff %d/65535%n",
                psnr, max);
        assertTrue(psnr > 35, "PSNR " + psnr);
    }

    @Test
    void fourFrameClockAnimation() throws Exception {
        Path pov = dir.resolve("anim.pov");
        Files.writeString(pov, """
                camera { location <0, 1, -5> look_at <0, 0.5, 0> }
                light_source { <4, 6, -5> color rgb 1 }
                plane { y, 0 pigment { checker color rgb 1 color rgb 0.2 } }
                sphere { <-2 + 4 * clock, 0.6, 0>, 0.6 pigment { color rgb <1, 0.3, 0.2> } finish { phong 0.6 } }
                """);
        RenderScene scene = RenderScene.ofFile(pov);
        RenderResult r = RenderFixtures.renderer().start(
                RenderRequest.of(scene, FrameRange.of(1, 4), 64, 48, dir.resolve("out/a_##.png").toString())
                        .withLocalWorkers(3).withBitDepth(16), null).await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(4, r.written().size());
        short[] previous = null;
        for (int f = 1; f <= 4; f++) {
            short[] frame = PngImage.read(dir.resolve(String.format("out/a_%02d.png", f))).rgb();
            short[] expected = fullRender(scene, RenderSettings.of(64, 48).withClock((f - 1) / 3.0));
            assertArrayEquals(expected, frame, "frame " + f + " == povray +K" + (f - 1) / 3.0);
            if (previous != null) {
                assertTrue(RenderFixtures.maxDifference(previous, frame) > 0, "frame " + f + " moved");
            }
            previous = frame;
        }
    }

    /** The top half is costly (glass spheres, an area light), the bottom half is empty background. */
    private Path topHeavyScene() throws Exception {
        Path pov = dir.resolve("heavy/top-heavy.pov");
        Files.createDirectories(pov.getParent());
        Files.writeString(pov, """
                #version 3.7;
                global_settings { assumed_gamma 1.0 max_trace_level 12 }
                camera { location <0, 0, -6> look_at <0, 0, 0> }
                light_source { <3, 5, -6> color rgb 1 area_light <2, 0, 0>, <0, 2, 0>, 9, 9 }
                background { color rgb <0.2, 0.3, 0.5> }
                #declare I = 0;
                #while (I < 24)
                  sphere { <-3.3 + mod(I, 8) * 0.95, 0.6 + floor(I / 8) * 0.8, 0>, 0.42
                    pigment { color rgbf <0.9, 0.95, 1, 0.8> }
                    finish { reflection 0.4 specular 0.6 }
                    interior { ior 1.5 } }
                  #declare I = I + 1;
                #end
                """ + "// " + java.util.UUID.randomUUID() + "\n"); // a scene no earlier run has measured
        return pov;
    }

    @Test
    void eachTileReportsWhatItsRowsCostAndTheWireKeepsIt() throws Exception {
        RenderScene scene = RenderScene.ofFile(topHeavyScene());
        RenderSettings s = RenderSettings.of(96, 72);
        Tile tile = new Tile(0, 8, 96, 40);
        long t0 = System.nanoTime();
        TilePixels p = povray().renderTile(scene, 1, tile, s);
        double wall = (System.nanoTime() - t0) / 1e9;
        double[] rows = p.rowSeconds();
        assertNotNull(rows, "POV-Ray's progress lines give row costs");
        assertEquals(40, rows.length);
        double sum = java.util.Arrays.stream(rows).sum();
        assertTrue(sum > 0 && sum < wall, "rows cost " + sum + " s of a " + wall + " s render");
        double top = java.util.Arrays.stream(rows, 0, 20).sum();
        double bottom = java.util.Arrays.stream(rows, 20, 40).sum();
        assertTrue(top > bottom, "rows 8..27 (spheres) cost " + top + " s, rows 28..47 " + bottom + " s");
        TilePixels back = TileWire.decode(TileWire.encode(p));
        assertArrayEquals(p.rgb(), back.rgb());
        assertArrayEquals(rows, back.rowSeconds(), 1e-4);
        assertNull(TileWire.decode(TileWire.encode(new TilePixels(tile, p.rgb()))).rowSeconds());
        byte[] bad = TileWire.encode(p);
        bad[bad.length - 4 * 40 - 1] = 41; // row count in the trailer no longer matches the tile
        assertThrows(MalformedTileException.class, () -> TileWire.decode(bad));
    }

    @Test
    void theNextRenderCutsBandsOfEqualMeasuredCost() throws Exception {
        RenderScene scene = RenderScene.ofFile(topHeavyScene());
        List<Event> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, RenderEvents.TILE_FINISHED);
        ServiceRegistration<EventHandler> reg = OsgiServices.context().registerService(EventHandler.class, events::add,
                props);
        List<Integer> first;
        List<Integer> second;
        try {
            first = bandHeights(scene, "first_#.png", events);
            second = bandHeights(scene, "second_#.png", events);
        } finally {
            reg.unregister();
        }
        assertEquals(List.of(36, 36), first, "a scene never rendered before: equal-height bands");
        assertEquals(2, second.size());
        assertEquals(72, second.get(0) + second.get(1));
        assertTrue(second.get(0) < 30, "the costly top band is cut shorter once its cost is known: " + second);
        assertArrayEquals(PngImage.read(dir.resolve("first_1.png")).rgb(), PngImage.read(dir.resolve("second_1.png")).rgb(),
                "other bands, the same pixels");
    }

    /** Renders frame 1 in 2 bands on 2 workers; the heights of its bands, top first. */
    private List<Integer> bandHeights(RenderScene scene, String out, List<Event> events) throws Exception {
        events.clear();
        RenderResult r = RenderFixtures.renderer().start(RenderRequest.of(scene, FrameRange.single(1), 96, 72,
                dir.resolve(out).toString()).withEngine("povray").withLocalWorkers(2), null).await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        long deadline = System.currentTimeMillis() + 5000;
        while (events.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return events.stream().sorted(java.util.Comparator.comparingInt(e -> (Integer) e.getProperty(RenderEvents.TILE_Y)))
                .map(e -> (Integer) e.getProperty(RenderEvents.TILE_HEIGHT)).toList();
    }

    @Test
    void parseErrorsQuotePovray() throws Exception {
        Path pov = dir.resolve("broken.pov");
        Files.writeString(pov, "sphere { <0,0,0> 1 pigmnt { red } }\n");
        RenderSettings s = RenderSettings.of(16, 16);
        SceneException e = assertThrows(SceneException.class,
                () -> povray().renderTile(RenderScene.ofFile(pov), 1, s.fullFrame(), s));
        assertTrue(e.getMessage().contains("broken.pov") && e.getMessage().contains("Parse Error"), e.getMessage());
        RenderResult r = RenderFixtures.renderer().start(
                RenderRequest.of(RenderScene.ofFile(pov), FrameRange.single(1), 16, 16, dir.resolve("o.png").toString()),
                null).await();
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.error().contains("Parse Error"), r.error());
        assertEquals(List.of(), r.written());
        assertTrue(Files.notExists(dir.resolve("o_####.png".replace("####", "0001"))));
    }

    @ParameterizedTest
    @ValueSource(strings = { "+Oout.png", "-Oout.png", "+FN16", "-F", "+SR10", "+ER20", "+SC5", "+EC9", "+S0.5", "+Iother.pov",
            "+D", "+P", "+W640", "+H480", "+K0.5", "+KFF10", "+SF2", "+GFfatal.txt", "+GI", "other.ini",
            "Output_File_Name=x.png", "Display=on", "Pre_Scene_Command=touch", "post_frame_command=rm",
            "Width=640", "Include_Ini=more.ini", "Debug_File=true", "Clock=0.5", "Start_Row=0.5", "Input_File_Name=x.pov" })
    void optionsThatWouldBreakTilingOrTheNodeAreRefusedByName(String option) {
        org.tessera.render.core.EngineOptionsException e = assertThrows(
                org.tessera.render.core.EngineOptionsException.class, () -> povray().checkOptions("+Q9 " + option, ""));
        assertTrue(e.getMessage().contains(option), e.getMessage());
        String ini = "; comment\nQuality = 9\n" + option + "\n"; // the same line in an INI file
        e = assertThrows(org.tessera.render.core.EngineOptionsException.class, () -> povray().checkOptions("", ini));
        assertTrue(e.getMessage().startsWith("INI line 3: ") && e.getMessage().contains(option), e.getMessage());
    }

    @Test
    void optionsThatChangeOnlyThePictureArePassedOn() throws Exception {
        povray().checkOptions("+Q9 +A0.1 +AM2 +R3 -J +WT1 +BS16 +SU +UR -D -P +GA -GW Declare=Size=2 +MV3.7 +L/usr/share",
                "[Shot]\nAntialias=On ; fine\nDisplay=off\nDebug_File=false\nRender_Block_Size=16\n+A0.2 +R4\n");
        RenderScene scene = RenderScene.ofFile(RenderFixtures.POVRAY_SCENES.resolve("objects/blob.pov"));
        RenderSettings plain = RenderSettings.of(48, 36);
        short[] low = povray().renderTile(scene, 1, plain.fullFrame(), plain.withEngineOptions("+Q0", "")).rgb();
        short[] high = povray().renderTile(scene, 1, plain.fullFrame(), plain.withEngineOptions("", "Quality=9\n")).rgb();
        assertTrue(RenderFixtures.maxDifference(low, high) > 0, "+Q0 (no shading) and Quality=9 from an INI differ");
        assertArrayEquals(high, povray().renderTile(scene, 1, plain.fullFrame(), plain).rgb(), "Quality=9 is the default");
    }

    /** The scene of the issue: a syntax error whose message POV-Ray wraps at 80 columns. */
    static Path angleInAVector(Path folder) throws Exception {
        Files.createDirectories(folder);
        Path pov = folder.resolve("shot.pov");
        Files.writeString(pov, """
                camera { location <0, 1, -5> look_at <0, 0, 0> }
                light_source { <2, 4, -3> color rgb 1 }
                sphere { <0, 1, 0 angle 30 pigment { color rgb 1 } }
                """);
        return pov;
    }

    @Test
    void aWrappedParseErrorReachesTheUserWhole() throws Exception {
        // a long folder name makes POV-Ray's console wrap the message (the last word went missing)
        Path pov = angleInAVector(dir.resolve("a-rather-long-folder-name-for-the-shot/with-more-parts/scene"));
        RenderSettings s = RenderSettings.of(16, 16);
        SceneException e = assertThrows(SceneException.class,
                () -> povray().renderTile(RenderScene.ofFile(pov), 1, s.fullFrame(), s));
        System.out.println("POV-Ray parse error as the user sees it:\n" + e.getMessage());
        assertTrue(e.getMessage().contains("line 3: Parse Error: Expected '>', angle found instead"), e.getMessage());
        assertTrue(e.getMessage().contains("Fatal error in parser: Cannot parse input."), e.getMessage());
        RenderResult r = RenderFixtures.renderer().start(RenderRequest.of(RenderScene.ofFile(pov), FrameRange.single(1),
                16, 16, dir.resolve("o_#.png").toString()), null).await();
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.error().contains("Expected '>', angle found instead"), r.error());
    }

    /** The executable comes from the configuration org.tessera.render.povray, applied to the running engine. */
    @Test
    void missingPovrayIsUnavailableWithInstallHint() throws Exception {
        org.osgi.service.cm.Configuration config = OsgiServices.get(org.osgi.service.cm.ConfigurationAdmin.class)
                .getConfiguration("org.tessera.render.povray", "?");
        RenderEngine engine = povray();
        assertNotEquals("unknown", engine.version(), "POV-Ray from the PATH answers first");
        config.update(new Hashtable<>(java.util.Map.of("executable", dir.resolve("no-povray").toString())));
        try {
            awaitVersion(engine, true);
            RenderSettings s = RenderSettings.of(16, 16);
            EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                    () -> engine.renderTile(RenderScene.ofFile(dir.resolve("x.pov")), 1, s.fullFrame(), s));
            assertTrue(e.getMessage().contains("no-povray"), e.getMessage());
            assertTrue(e.getMessage().contains("org.tessera.render.povray"), e.getMessage());
        } finally {
            config.delete();
        }
        awaitVersion(engine, false);
    }

    /** Configuration Admin tells the engine asynchronously: waits until its version is (or is no longer) unknown. */
    private static void awaitVersion(RenderEngine engine, boolean unknown) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.version().equals("unknown") != unknown) {
            assertTrue(System.nanoTime() < deadline, "the engine did not take the configuration in 10 s");
            Thread.sleep(20);
        }
    }
}
