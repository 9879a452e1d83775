// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tessera.tracker.core.FrameChanges;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.JobId;
import org.tessera.tracker.core.RenderTracker;
import org.tessera.tracker.core.TrackerException;

/**
 * Maps XML-RPC method calls with the seed's camelCase names onto a {@link RenderTracker}: checks
 * the arguments, converts results to XML-RPC values, and turns failures into faults. Operations that
 * return nothing answer {@code true} (plain XML-RPC has no None without {@code allow_none}).
 */
public final class TrackerRpc {
    /** Keys of the {@code getChangedFrames} struct. */
    public static final String CHANGES = "changes";
    public static final String EVENT_ID = "event_id";

    @FunctionalInterface
    private interface Method {
        Object call(Args a);
    }

    /** Sorted, for listing; {@link #byName} for lookups. */
    private final Map<String, Method> methods = new TreeMap<>();
    private final Map<String, Integer> arity = new TreeMap<>();
    private final Map<String, Method> byName = new java.util.HashMap<>();

    public TrackerRpc(RenderTracker t) {
        add("startedRenderProject", 4, a -> {
            t.startedRenderProject(a.string(0), a.intList(1), a.bool(2), a.jobId(3));
            return true;
        });
        add("startedGeneratingFrameIFD", 2, a -> {
            t.startedGeneratingFrameIFD(a.string(0), a.intValue(1));
            return true;
        });
        add("endedGeneratingFrameIFD", 2, a -> {
            t.endedGeneratingFrameIFD(a.string(0), a.intValue(1));
            return true;
        });
        add("startedFrameRender", 4, a -> {
            t.startedFrameRender(a.string(0), a.intValue(1), a.jobId(2), a.optionalString(3));
            return true;
        });
        add("setFrameRenderFraction", 3, a -> {
            t.setFrameRenderFraction(a.string(0), a.intValue(1), a.number(2));
            return true;
        });
        add("setFrameDownloadFraction", 3, a -> {
            t.setFrameDownloadFraction(a.string(0), a.intValue(1), a.number(2));
            return true;
        });
        add("setFrameError", 3, a -> {
            t.setFrameError(a.string(0), a.intValue(1), a.optionalString(2));
            return true;
        });
        add("setProjectError", 2, a -> {
            t.setProjectError(a.string(0), a.optionalString(1));
            return true;
        });
        add("getAllProjects", 0, a -> t.getAllProjects());
        add("getAllFramesInfo", 1, a -> tuples(t.getAllFramesInfo(a.string(0))));
        add("getChangedFrames", 2, a -> {
            FrameChanges c = t.getChangedFrames(a.string(0), a.longValue(1));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(CHANGES, tuples(c.changes()));
            m.put(EVENT_ID, c.eventId());
            return m;
        });
        add("getEstimatedRenderSecondsLeft", 1, a -> t.getEstimatedRenderSecondsLeft(a.string(0)));
        add("getFrameJobID", 2, a -> t.getFrameJobID(a.string(0), a.intValue(1)).value());
        add("getFrameLog", 2, a -> t.getFrameLog(a.string(0), a.intValue(1)));
        add("getImagePath", 2, a -> t.getImagePath(a.string(0), a.intValue(1)));
        add("isProjectDone", 1, a -> t.isProjectDone(a.string(0)));
        add("isProjectRunning", 1, a -> t.isProjectRunning(a.string(0)));
        add("isRunning", 0, a -> t.isRunning());
        add("removeProject", 1, a -> t.removeProject(a.string(0)));
        add("suggestInactiveProjectName", 1, a -> t.suggestInactiveProjectName(a.string(0)));
        add("doesProjectGenerateIFDs", 1, a -> t.doesProjectGenerateIFDs(a.string(0)));
        add("incrementAndGetLastEventId", 0, a -> t.incrementAndGetLastEventId());
        add("applyProjectNameFormula", 2, a -> RenderTracker.applyProjectNameFormula(a.string(0), a.string(1)));
        add("system.listMethods", 0, a -> new ArrayList<>(methods.keySet()));
    }

    private void add(String name, int n, Method m) {
        methods.put(name, m);
        arity.put(name, n);
        byName.put(name, m);
    }

    /** The method names answered. */
    public List<String> methodNames() {
        return new ArrayList<>(methods.keySet());
    }

    /** Runs a decoded call; the result is an XML-RPC value, failures are faults. */
    public Object call(String name, List<Object> params) throws XmlRpcFault {
        Method m = byName.get(name);
        if (m == null) {
            throw new XmlRpcFault(XmlRpcFault.METHOD_NOT_FOUND, "no method named \"" + name
                    + "\"; the tracker answers: " + String.join(", ", methods.keySet()));
        }
        int n = arity.get(name);
        if (params.size() != n) {
            throw new XmlRpcFault(XmlRpcFault.INVALID_PARAMS, name + " takes " + n + " argument" + (n == 1 ? "" : "s")
                    + ", not " + params.size());
        }
        try {
            return m.call(new Args(name, params));
        } catch (TrackerException e) {
            throw new XmlRpcFault(e.faultCode(), e.getMessage());
        }
    }

    /** Answers one request body with a response body (value or fault). */
    public byte[] handle(byte[] body) {
        try {
            XmlRpcCodec.MethodCall call = XmlRpcCodec.parseCall(body);
            return XmlRpcCodec.response(call(call.methodName(), call.params()));
        } catch (XmlRpcFault f) {
            return XmlRpcCodec.fault(f.code(), f.getMessage());
        }
    }

    /** Encodes one request body to a response body (value or fault). */
    public byte[] handle(java.io.InputStream body) {
        try {
            XmlRpcCodec.MethodCall call = XmlRpcCodec.parseCall(body);
            return XmlRpcCodec.response(call(call.methodName(), call.params()));
        } catch (XmlRpcFault f) {
            return XmlRpcCodec.fault(f.code(), f.getMessage());
        }
    }

    private static List<Object> tuples(List<FrameInfo> infos) {
        List<Object> list = new ArrayList<>(infos.size());
        for (FrameInfo i : infos) {
            list.add(List.of(i.frame(), i.status().ordinal(), i.fraction()));
        }
        return list;
    }

    /** Typed access to parameters with clear faults. */
    private record Args(String method, List<Object> values) {
        private XmlRpcFault wrong(int i, String expected) {
            Object v = values.get(i);
            return new XmlRpcFault(XmlRpcFault.INVALID_PARAMS, method + ": argument " + (i + 1) + " must be " + expected
                    + ", not " + (v == null ? "nil" : v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                            + " " + abbreviate(v)));
        }

        private static String abbreviate(Object v) {
            String s = String.valueOf(v);
            return s.length() > 40 ? "\"" + s.substring(0, 40) + "...\"" : "\"" + s + "\"";
        }

        String string(int i) {
            if (values.get(i) instanceof String s) {
                return s;
            }
            throw sneaky(wrong(i, "a string"));
        }

        String optionalString(int i) {
            Object v = values.get(i);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            if (v instanceof Boolean b && !b) {
                return null; // Python clients sometimes send False for "none"
            }
            throw sneaky(wrong(i, "a string"));
        }

        long longValue(int i) {
            Object v = values.get(i);
            if (v instanceof Integer || v instanceof Long) {
                return ((Number) v).longValue();
            }
            if (v instanceof String s) {
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    // fall through
                }
            }
            throw sneaky(wrong(i, "a whole number"));
        }

        /** A job id exactly as sent: a whole number stays a number, a string stays a string. */
        JobId jobId(int i) {
            Object v = values.get(i);
            if (v instanceof Integer || v instanceof Long) {
                return JobId.of(((Number) v).longValue());
            }
            if (v instanceof String s) {
                try {
                    return JobId.of(s);
                } catch (IllegalArgumentException e) {
                    throw sneaky(new XmlRpcFault(XmlRpcFault.INVALID_PARAMS, method + ": argument " + (i + 1) + ": "
                            + e.getMessage()));
                }
            }
            throw sneaky(wrong(i, "a job id (a whole number or a string)"));
        }

        int intValue(int i) {
            long v = longValue(i);
            if (v != (int) v) {
                throw sneaky(wrong(i, "a 32-bit whole number"));
            }
            return (int) v;
        }

        double number(int i) {
            Object v = values.get(i);
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw sneaky(wrong(i, "a number"));
        }

        boolean bool(int i) {
            Object v = values.get(i);
            if (v instanceof Boolean b) {
                return b;
            }
            if (v instanceof Integer n && (n == 0 || n == 1)) {
                return n == 1;
            }
            throw sneaky(wrong(i, "a boolean"));
        }

        List<Integer> intList(int i) {
            if (!(values.get(i) instanceof List<?> list)) {
                throw sneaky(wrong(i, "an array of frame numbers"));
            }
            List<Integer> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof Integer n) {
                    out.add(n);
                } else {
                    throw sneaky(new XmlRpcFault(XmlRpcFault.INVALID_PARAMS, method + ": frame numbers must be whole numbers, not "
                            + abbreviate(o)));
                }
            }
            return out;
        }
    }

    /** Lets a checked fault leave a lambda; caught again in {@link #call}. */
    private static RuntimeException sneaky(XmlRpcFault f) {
        return new TrackerException(f.code(), f.getMessage());
    }
}
