// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tessera.testing.TesseraProcess;

/** A real {@code tessera gateway serve} process with one user, as the Envoy client tests start it. */
record GatewayProcess(TesseraProcess process, URI url, String key) implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** Adds {@code user} (1000 credits) to a gateway folder in {@code work} and serves it on a free loopback port. */
    static GatewayProcess start(Path work, String user) {
        Path data = work.resolve("gateway-data");
        TesseraProcess.Result added = TesseraProcess.run(work, WAIT, "gateway", "user", "add", user, "--credits", "1000",
                "--data", data.toString());
        assertEquals(0, added.exitCode(), added.output());
        Matcher m = Pattern.compile("Access key for " + Pattern.quote(user) + ": (\\S+)").matcher(added.output());
        assertTrue(m.find(), added.output());
        TesseraProcess gateway = TesseraProcess.start(work, "gw", "gateway", "serve", "--port", "0", "--data",
                data.toString());
        String line = gateway.awaitLine(l -> l.startsWith("Envoy gateway listening on http://127.0.0.1:"), WAIT);
        return new GatewayProcess(gateway, URI.create(line.substring(line.indexOf("http://")).trim()), m.group(1));
    }

    @Override
    public void close() {
        process.close();
    }
}
