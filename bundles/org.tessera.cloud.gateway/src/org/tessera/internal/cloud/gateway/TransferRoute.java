// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import static org.tessera.internal.cloud.gateway.GatewayHttp.answer;
import static org.tessera.internal.cloud.gateway.GatewayHttp.method;
import static org.tessera.internal.cloud.gateway.GatewayHttp.pathName;

import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;

import org.tessera.http.HttpExchange;

/**
 * Tessera's resumable transfer endpoint (designed): {@code PUT /transfer/<project>/<path>} with
 * {@code X-Transfer-Offset} (bytes already sent) and {@code X-Transfer-Total} streams a file into the
 * project store through a part file; {@code GET} answers how many bytes are staged, for resuming.
 */
final class TransferRoute {
    private final GatewaySessions sessions;
    private final ProjectStore store;

    TransferRoute(GatewaySessions sessions, ProjectStore store) {
        this.sessions = sessions;
        this.store = store;
    }

    void transfer(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "PUT", "GET");
            String email = sessions.user(x);
            String rel;
            try {
                rel = SafePaths.relativeName(pathName(x, "/transfer/"));
            } catch (IllegalArgumentException e) {
                throw new Refusal(400, e.getMessage());
            }
            String project = rel.split("/")[0];
            if (!rel.contains("/")) {
                throw new Refusal(400, "name a file inside a project: /transfer/<project>/<path>");
            }
            Path target = SafePaths.targetUnder(store.projects(), rel);
            Path part = SafePaths.targetUnder(store.staging(), rel + ".part");
            JsonObject o = new JsonObject();
            if (x.method().equals("GET")) {
                // a read never claims the name: a free one has nothing staged
                String owner = store.owner(project);
                if (owner != null && !owner.equals(email)) {
                    throw new Refusal(403, "project " + project + " belongs to another user");
                }
                boolean mine = owner != null;
                o.addProperty("BytesStaged", mine && Files.exists(part) ? Files.size(part) : 0);
                o.addProperty("Stored", mine && Files.exists(target));
                return o;
            }
            sessions.requireCredits(email);
            ProjectRecord record = store.record(project, email);
            long total;
            long offset;
            try {
                total = Long.parseLong(x.header("X-Transfer-Total"));
                offset = x.header("X-Transfer-Offset") == null ? 0 : Long.parseLong(x.header("X-Transfer-Offset"));
                if (total < 0 || offset < 0 || offset > total) {
                    throw new NumberFormatException();
                }
            } catch (RuntimeException e) {
                throw new Refusal(400, "X-Transfer-Total (and X-Transfer-Offset, at most the total) must be byte counts");
            }
            FileTransfer t = new FileTransfer("/" + rel, target, part, total);
            if (t.resumeOffset() > total) {
                // staged for an earlier, longer version of the file: start over
                Files.delete(part);
            }
            if (offset != t.resumeOffset()) {
                throw new Refusal(409, "offset " + offset + " does not match the " + t.resumeOffset() + " bytes staged");
            }
            String declared = x.header("Content-Length");
            if (declared != null && !declared.equals(String.valueOf(total - offset))) {
                throw new Refusal(400, "Content-Length " + declared + " is not X-Transfer-Total - X-Transfer-Offset = "
                        + (total - offset));
            }
            record.files.put(t.remoteName, t);
            synchronized (record) {
                if (record.state.equals("Created") || record.state.equals("Uploaded")) {
                    record.state = "Uploading";
                    record.message = "File uploads in progress.";
                }
            }
            boolean complete;
            try {
                complete = t.receive(x);
            } catch (FileTransfer.TooLong e) {
                ProjectStore.settleTransfers(record);
                throw new Refusal(413, e.getMessage() + "; nothing was stored");
            }
            ProjectStore.settleTransfers(record);
            if (!complete) {
                throw new Refusal(400, "transfer cut off: " + t.error + "; resume from offset " + t.bytesDone);
            }
            o.addProperty("BytesDone", t.bytesDone);
            o.addProperty("BytesTotal", t.bytesTotal);
            return o;
        });
    }
}
