// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.ui;

import java.util.List;

/**
 * What one chart shows, independent of SWT: the view draws it with SWTChart, tests check it.
 *
 * @param title chart title; says "no data" when {@link #series()} is empty
 * @param xTitle x axis title
 * @param yTitle y axis title (with unit)
 * @param bars bars, else lines
 * @param stacked series are stacked (bars only)
 * @param categories x labels, one per value of every series; null for a numeric x axis (1..n)
 * @param series the series, in legend order
 */
public record ChartData(String title, String xTitle, String yTitle, boolean bars, boolean stacked, List<String> categories,
        List<Series> series) {

    /** One named series of y values. */
    public record Series(String name, double[] values) {
        public double sum() {
            double s = 0;
            for (double v : values) {
                s += v;
            }
            return s;
        }
    }

    public ChartData {
        categories = categories == null ? null : List.copyOf(categories);
        series = List.copyOf(series);
    }

    /** A chart without data, titled so the user knows which file kind would fill it. */
    static ChartData empty(String title, String needs) {
        return new ChartData(title + " (no data: " + needs + ")", "", "", false, false, null, List.of());
    }

    public boolean isEmpty() {
        return series.isEmpty();
    }
}
