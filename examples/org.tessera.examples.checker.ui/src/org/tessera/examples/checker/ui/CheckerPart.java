// SPDX-License-Identifier: EPL-2.0
package org.tessera.examples.checker.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.tessera.examples.checker.Checkerboard;
import org.tessera.workbench.TesseraPreferences;

import jakarta.annotation.PostConstruct;

/**
 * Shows the checker engine's pattern at the size the workbench renders tiles with, so a user sees
 * what the example engine will produce; the cell size is adjustable.
 */
public class CheckerPart {
    /** Part descriptor id. */
    public static final String ID = "org.tessera.examples.checker.ui.part";

    private Spinner cell;
    private Canvas canvas;

    @PostConstruct
    public void create(Composite parent) {
        parent.setLayout(new GridLayout(3, false));
        Label l = new Label(parent, SWT.NONE);
        l.setText("Cell size (pixels):");
        cell = new Spinner(parent, SWT.BORDER);
        cell.setValues(16, 2, 256, 0, 2, 16);
        Label tile = new Label(parent, SWT.NONE);
        tile.setText("Tile size from the preferences: " + TesseraPreferences.getInt(TesseraPreferences.TILE_SIZE)
                + " px (tile seams are drawn in red)");
        tile.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED);
        canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
        canvas.addPaintListener(e -> {
            Rectangle r = canvas.getClientArea();
            if (r.width <= 0 || r.height <= 0) {
                return;
            }
            Image img = new Image(e.display, pattern(r.width, r.height, cell.getSelection()));
            e.gc.drawImage(img, 0, 0);
            img.dispose();
            int t = Math.max(8, TesseraPreferences.getInt(TesseraPreferences.TILE_SIZE));
            e.gc.setForeground(e.display.getSystemColor(SWT.COLOR_RED));
            for (int x = t; x < r.width; x += t) {
                e.gc.drawLine(x, 0, x, r.height);
            }
            for (int y = t; y < r.height; y += t) {
                e.gc.drawLine(0, y, r.width, y);
            }
        });
        cell.addListener(SWT.Selection, e -> canvas.redraw());
    }

    /** The pattern as SWT image data, pixel for pixel what the engine computes. */
    static ImageData pattern(int width, int height, int cellSize) {
        ImageData data = new ImageData(width, height, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                data.setPixel(x, y, Checkerboard.rgb(x, y, cellSize));
            }
        }
        return data;
    }
}
