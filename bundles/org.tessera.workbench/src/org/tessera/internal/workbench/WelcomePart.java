// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import jakarta.annotation.PostConstruct;

/** First page of the Render Farm perspective: what Tessera does and where to start. */
public class WelcomePart {

    @PostConstruct
    public void create(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        Label title = new Label(parent, SWT.NONE);
        title.setText("Tessera — Render Farm");
        FontData[] data = title.getFont().getFontData();
        for (FontData d : data) {
            d.setHeight(d.getHeight() + 6);
            d.setStyle(SWT.BOLD);
        }
        Font big = new Font(parent.getDisplay(), data);
        title.setFont(big);
        title.addDisposeListener(e -> big.dispose());
        Label text = new Label(parent, SWT.WRAP);
        text.setText("""
                Tessera renders scenes split into tiles across the PCs of your farm, tracks every \
                frame, records farm statistics, and submits work to cloud services.

                Views for the cluster, the renderer, the tracker, cloud submission and statistics \
                are contributed by their bundles and appear in this perspective once installed.
                The same work runs headless: see 'tessera help'.""");
        text.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    }
}
