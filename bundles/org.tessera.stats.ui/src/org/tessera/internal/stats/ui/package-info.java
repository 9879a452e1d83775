// SPDX-License-Identifier: EPL-2.0
/**
 * The Farm Statistics view: loads a stats file or the farm's live stats folder in a background job,
 * turns it into chart data ({@link org.tessera.internal.stats.ui.StatsCharts}) drawn with SWTChart, and
 * exports CSV through the stats bundle's {@code StatsFileType} services.
 */
package org.tessera.internal.stats.ui;
