// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cluster.core.NodeProtocol;
import org.tessera.testing.TesseraProcess;

/**
 * A farm from one configuration file, as a process: {@code tessera serve --config farm.json} started as a
 * plain Equinox launch with {@code -application org.tessera.cli.app} brings up the node servers and the
 * gateway the file configures; editing the file adds, changes and removes servers without a restart; a
 * broken file is reported with its position and the running servers keep running.
 */
class FarmProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern SERVING = Pattern.compile("Serving (\\S+) \\((\\w+)\\) at (\\S+)");
    private static final Pattern STOPPED = Pattern.compile("Stopped (\\S+)");
    private static final String A = "org.tessera.node.server~a";
    private static final String B = "org.tessera.node.server~b";
    private static final String C = "org.tessera.node.server~c";
    private static final String GATEWAY = "org.tessera.cloud.gateway~main";

    @TempDir
    Path work;

    /** The servers running now according to the output: the last URL of each PID not stopped since. */
    private static Map<String, URI> serving(String output) {
        Map<String, URI> result = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                result.put(m.group(1), URI.create(m.group(3)));
            }
            Matcher s = STOPPED.matcher(line);
            if (s.find()) {
                result.remove(s.group(1));
            }
        }
        return result;
    }

    private static Map<String, URI> await(TesseraProcess p, String what, Predicate<Map<String, URI>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Map<String, URI> now = serving(p.output());
            if (done.test(now)) {
                return now;
            }
            assertTrue(p.process().isAlive(), "the farm exited\n" + p.output());
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + WAIT + "\n" + p.output());
            Thread.sleep(100);
        }
    }

    private static String get(URI base, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), base + path + ": " + r.body());
        return r.body();
    }

    private static boolean seats(URI node, int seats) {
        try {
            return get(node, NodeProtocol.INFO).contains("\"licenseSeats\":" + seats);
        } catch (IOException | InterruptedException | AssertionError e) {
            return false;
        }
    }

    /** Replaces the file in one step, as editors that save atomically do. */
    private void write(Path farm, String json) throws IOException {
        Path next = Files.writeString(work.resolve("farm.json.next"), json);
        Files.move(next, farm, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aFarmFileStartsItsServersAndFollowsItsEdits() throws Exception {
        Path farm = work.resolve("farm.json");
        String gatewayData = work.resolve("gateway").toString();
        write(farm, """
                {
                  ":configurator:resource-version": 1,
                  "%s": { "port": 0, "licenseSeats": 2 },
                  "%s": { "port": 0 },
                  "%s": { "port": 0, "data": "%s" }
                }
                """.formatted(A, B, GATEWAY, gatewayData));
        try (TesseraProcess p = TesseraProcess.start(work, "farm", "-application", "org.tessera.cli.app", "serve",
                "--config", farm.toString())) {
            Map<String, URI> s = await(p, "two nodes and the gateway",
                    m -> m.keySet().containsAll(java.util.List.of(A, B, GATEWAY)));
            assertTrue(seats(s.get(A), 2), "node a answers with its configured seats");
            assertEquals("pong", get(s.get(B), NodeProtocol.PING).strip());
            HttpResponse<String> products = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    s.get(GATEWAY).resolve("/products")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(products.statusCode() < 500, "the gateway answers: " + products.statusCode());
            URI b = s.get(B);

            // add c, change a, remove b
            write(farm, """
                    {
                      ":configurator:resource-version": 1,
                      "%s": { "port": 0, "licenseSeats": 4 },
                      "%s": { "port": 0 },
                      "%s": { "port": 0, "data": "%s" }
                    }
                    """.formatted(A, C, GATEWAY, gatewayData));
            s = await(p, "node c, node a with 4 seats and no node b",
                    m -> m.containsKey(C) && !m.containsKey(B) && m.containsKey(A) && seats(m.get(A), 4));
            assertEquals("pong", get(s.get(C), NodeProtocol.PING).strip());
            assertThrows(IOException.class, () -> get(b, NodeProtocol.PING), "node b stopped");
            assertTrue(p.output().contains("Farm file changed: added " + C + "; changed " + A + "; removed " + B),
                    p.output());

            // a broken file: the position is reported, the servers keep running
            write(farm, "{\n  \"" + A + "\": { \"port\": 0 },\n  oops\n}\n");
            String error = p.awaitLine(l -> l.contains(farm + ":3:"), WAIT);
            assertTrue(error.startsWith("tessera serve: "), error);
            Thread.sleep(1000);
            Map<String, URI> after = serving(p.output());
            assertEquals(s, after, "nothing changed\n" + p.output());
            assertTrue(seats(after.get(A), 4));
            assertEquals("pong", get(after.get(C), NodeProtocol.PING).strip());
            assertTrue(p.process().isAlive());
        }
    }

    @Test
    void aBrokenFarmFileAtStartIsAUsageErrorNamingTheFileAndPosition() throws Exception {
        Path farm = Files.writeString(work.resolve("bad.json"), "{\n  \"" + A + "\": { \"port\": 0, }\n}\n");
        TesseraProcess.Result r = TesseraProcess.run(work, WAIT, "serve", "--config", farm.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(farm + ":2:"), r.output());
        assertFalse(r.output().contains("Serving"), r.output());

        Path typed = Files.writeString(work.resolve("typed.json"), "{ \"" + A + "\": 7 }");
        r = TesseraProcess.run(work, WAIT, "serve", "--config", typed.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(typed.toString()), r.output());
    }
}
