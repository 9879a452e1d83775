// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;

/** Finding and pressing widgets the way a user would, without SWTBot. */
final class Widgets {
    private Widgets() {
    }

    static <T extends Control> List<T> find(Composite root, Class<T> type, Predicate<T> filter) {
        List<T> out = new ArrayList<>();
        for (Control c : root.getChildren()) {
            if (type.isInstance(c) && filter.test(type.cast(c))) {
                out.add(type.cast(c));
            }
            if (c instanceof Composite k) {
                out.addAll(find(k, type, filter));
            }
        }
        return out;
    }

    static Button button(Composite root, String text) {
        List<Button> b = find(root, Button.class, x -> x.getText().replace("&", "").equals(text) && x.isVisible());
        if (b.isEmpty()) {
            throw new AssertionError("no visible button '" + text + "'");
        }
        return b.getFirst();
    }

    /** Replaces a text field's content as typing would: the text, then a key release (field editors validate on it). */
    static void type(org.eclipse.swt.widgets.Text text, String value) {
        text.setFocus();
        text.setText(value);
        Event up = new Event();
        up.character = value.isEmpty() ? 0 : value.charAt(value.length() - 1);
        text.notifyListeners(SWT.KeyUp, up);
        UiTestSupport.flush();
    }

    static void press(Button b) {
        if (!b.isEnabled()) {
            throw new AssertionError("button '" + b.getText() + "' is disabled");
        }
        if ((b.getStyle() & (SWT.CHECK | SWT.RADIO | SWT.TOGGLE)) != 0) {
            b.setSelection(!b.getSelection());
        }
        b.notifyListeners(SWT.Selection, new Event());
    }
}
