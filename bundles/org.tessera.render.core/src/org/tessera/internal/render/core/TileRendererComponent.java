// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderProgressListener;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.TileRenderer;
import org.tessera.render.core.TileWorker;

/** The {@link TileRenderer} service: engines come and go dynamically; events go to EventAdmin when present. */
@Component(service = TileRenderer.class)
public class TileRendererComponent implements TileRenderer {

    private final List<RenderEngine> engines = new CopyOnWriteArrayList<>();
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEngine(RenderEngine engine) {
        engines.add(engine);
    }

    void removeEngine(RenderEngine engine) {
        engines.remove(engine);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin admin) {
        eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    @Override
    public RenderJob start(RenderRequest request, RenderProgressListener listener) throws RenderException {
        if (!request.scene().exists()) {
            throw new SceneException("scene file " + request.scene().file() + " does not exist or is not readable");
        }
        RenderEngine engine = chooseEngine(request);
        List<TileWorker> workers = new ArrayList<>(request.workers());
        if (workers.isEmpty()) {
            int n = request.localWorkers() > 0 ? request.localWorkers() : Runtime.getRuntime().availableProcessors();
            for (int i = 1; i <= n; i++) {
                workers.add(new LocalTileWorker("local-" + i, name -> engine(name).orElse(null)));
            }
        }
        String id = "job-" + UUID.randomUUID().toString().substring(0, 8);
        return new RenderJobRun(id, request, engine, workers,
                listener == null ? RenderProgressListener.none() : listener, this::post).start();
    }

    private RenderEngine chooseEngine(RenderRequest request) throws RenderException {
        if (request.engine() != null) {
            return engine(request.engine()).orElseThrow(() -> new EngineUnavailableException("no render engine named '"
                    + request.engine() + "' is installed; installed: " + names()));
        }
        return engines().stream().filter(e -> e.accepts(request.scene())).findFirst()
                .orElseThrow(() -> new EngineUnavailableException("no installed render engine reads "
                        + request.scene().mainFile() + "; installed: " + names()));
    }

    private List<String> names() {
        return engines().stream().map(RenderEngine::name).toList();
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }

    @Override
    public List<RenderEngine> engines() {
        List<RenderEngine> list = new ArrayList<>(engines);
        list.sort(Comparator.comparing(RenderEngine::name));
        return list;
    }

    @Override
    public Optional<RenderEngine> engine(String name) {
        return engines.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
