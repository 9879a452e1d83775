// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.tessera.core.FrameRange;

/**
 * What the gateway needs from the farm: the products it offers (its installed render engines) and
 * a way to render a scene's frames into a folder. Registered as an OSGi service by the bundle
 * that bridges to the farm's renderer.
 */
public interface FarmRenderer {
    /** A product the farm offers: an engine code and version. */
    record EngineProduct(String code, String version, String name) {
    }

    /**
     * Told about each finished frame, with the node-seconds it took (for the credits ledger); frames
     * already in the output folder when the render starts are told first, with 0 node-seconds.
     */
    interface FrameListener {
        void frameDone(int frame, Path file, double nodeSeconds);
    }

    List<EngineProduct> products();

    /**
     * Renders {@code frames} of {@code scene} with engine {@code app} into {@code outputFolder},
     * on up to {@code instances} workers; blocks until done, failed or cancelled.
     *
     * @param params the job's parameters (e.g. {@code output_width}, {@code output_height})
     * @throws Exception when the render fails
     */
    void render(Path scene, String app, FrameRange frames, int instances, Map<String, String> params,
            Path outputFolder, FrameListener listener, BooleanSupplier cancelled) throws Exception;
}
