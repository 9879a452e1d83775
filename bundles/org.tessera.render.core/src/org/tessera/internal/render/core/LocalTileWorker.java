// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.util.function.Function;

import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.TestPattern;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileTask;
import org.tessera.render.core.TileWorker;

/** An in-process worker: a thread of this JVM calling the engine directly. */
public final class LocalTileWorker implements TileWorker {
    private final String name;
    private final Function<String, RenderEngine> engines;

    /** @param engines finds the engine by name at render time (engines come and go dynamically) */
    public LocalTileWorker(String name, Function<String, RenderEngine> engines) {
        this.name = name;
        this.engines = engines;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int capacity() {
        return 1;
    }

    @Override
    public TilePixels render(TileTask task) throws Exception {
        RenderEngine engine = engines.apply(task.engine());
        if (engine == null) {
            throw new EngineUnavailableException("render engine '" + task.engine() + "' is no longer installed");
        }
        if (task.settings().display().showTestImage()) {
            return TestPattern.tile(task.settings().width(), task.tile());
        }
        return engine.renderTile(task.scene(), task.frame(), task.tile(), task.settings());
    }
}
