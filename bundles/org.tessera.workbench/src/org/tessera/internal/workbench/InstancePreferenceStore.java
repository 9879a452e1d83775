// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.eclipse.core.runtime.ListenerList;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.jface.preference.IPersistentPreferenceStore;
import org.eclipse.jface.util.IPropertyChangeListener;
import org.eclipse.jface.util.PropertyChangeEvent;
import org.osgi.service.prefs.BackingStoreException;

/**
 * JFace's {@code IPreferenceStore} over an Eclipse preference node (instance scope in the workbench),
 * so {@code FieldEditorPreferencePage}s edit the same values the services read. Defaults live in
 * memory; a value equal to its default is removed from the node, as Eclipse's own stores do.
 */
final class InstancePreferenceStore implements IPersistentPreferenceStore {
    private final IEclipsePreferences node;
    private final Map<String, String> defaults = new HashMap<>();
    private final ListenerList<IPropertyChangeListener> listeners = new ListenerList<>();
    private boolean dirty;

    InstancePreferenceStore(IEclipsePreferences node, Map<String, String> defaults) {
        this.node = node;
        this.defaults.putAll(defaults);
    }

    @Override
    public void save() {
        try {
            node.flush();
            dirty = false;
        } catch (BackingStoreException e) {
            throw new IllegalStateException("cannot save preferences " + node.absolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void addPropertyChangeListener(IPropertyChangeListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removePropertyChangeListener(IPropertyChangeListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void firePropertyChangeEvent(String name, Object oldValue, Object newValue) {
        PropertyChangeEvent e = new PropertyChangeEvent(this, name, oldValue, newValue);
        for (IPropertyChangeListener l : listeners) {
            l.propertyChange(e);
        }
    }

    @Override
    public boolean contains(String name) {
        return node.get(name, null) != null || defaults.containsKey(name);
    }

    @Override
    public boolean isDefault(String name) {
        return node.get(name, null) == null;
    }

    @Override
    public boolean needsSaving() {
        return dirty;
    }

    private String raw(String name) {
        return node.get(name, getDefaultString(name));
    }

    private void store(String name, String value) {
        String old = raw(name);
        if (Objects.equals(value, getDefaultString(name))) {
            node.remove(name);
        } else {
            node.put(name, value);
        }
        if (!Objects.equals(old, value)) {
            dirty = true;
            firePropertyChangeEvent(name, old, value);
        }
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whole numbers parse exactly (a long above 2^53 would lose digits through a double). */
    private static long whole(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return (long) number(s);
        }
    }

    @Override
    public String getString(String name) {
        return raw(name);
    }

    @Override
    public boolean getBoolean(String name) {
        return Boolean.parseBoolean(raw(name));
    }

    @Override
    public double getDouble(String name) {
        return number(raw(name));
    }

    @Override
    public float getFloat(String name) {
        return (float) number(raw(name));
    }

    @Override
    public int getInt(String name) {
        return (int) whole(raw(name));
    }

    @Override
    public long getLong(String name) {
        return whole(raw(name));
    }

    @Override
    public String getDefaultString(String name) {
        return defaults.getOrDefault(name, "");
    }

    @Override
    public boolean getDefaultBoolean(String name) {
        return Boolean.parseBoolean(getDefaultString(name));
    }

    @Override
    public double getDefaultDouble(String name) {
        return number(getDefaultString(name));
    }

    @Override
    public float getDefaultFloat(String name) {
        return (float) number(getDefaultString(name));
    }

    @Override
    public int getDefaultInt(String name) {
        return (int) whole(getDefaultString(name));
    }

    @Override
    public long getDefaultLong(String name) {
        return whole(getDefaultString(name));
    }

    @Override
    public void setDefault(String name, String value) {
        defaults.put(name, value);
    }

    @Override
    public void setDefault(String name, boolean value) {
        setDefault(name, Boolean.toString(value));
    }

    @Override
    public void setDefault(String name, double value) {
        setDefault(name, Double.toString(value));
    }

    @Override
    public void setDefault(String name, float value) {
        setDefault(name, Float.toString(value));
    }

    @Override
    public void setDefault(String name, int value) {
        setDefault(name, Integer.toString(value));
    }

    @Override
    public void setDefault(String name, long value) {
        setDefault(name, Long.toString(value));
    }

    @Override
    public void setToDefault(String name) {
        store(name, getDefaultString(name));
    }

    @Override
    public void putValue(String name, String value) {
        // no events, as the interface asks
        if (Objects.equals(value, getDefaultString(name))) {
            node.remove(name);
        } else {
            node.put(name, value);
        }
        dirty = true;
    }

    @Override
    public void setValue(String name, String value) {
        store(name, value);
    }

    @Override
    public void setValue(String name, boolean value) {
        store(name, Boolean.toString(value));
    }

    @Override
    public void setValue(String name, double value) {
        store(name, Double.toString(value));
    }

    @Override
    public void setValue(String name, float value) {
        store(name, Float.toString(value));
    }

    @Override
    public void setValue(String name, int value) {
        store(name, Integer.toString(value));
    }

    @Override
    public void setValue(String name, long value) {
        store(name, Long.toString(value));
    }
}
