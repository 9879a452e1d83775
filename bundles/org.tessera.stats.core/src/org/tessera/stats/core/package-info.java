// SPDX-License-Identifier: EPL-2.0
/**
 * Royal-Render-style statistics files: the seven kinds of {@code libpyRR2_datafiles} (daily job
 * stats, server stats, client stats, frame stats, render-time history, client info, app licences),
 * their typed records, decoders ({@code load(Path)}, memory-mapped and validated) and encoders
 * ({@code write(Path)}, atomic), the {@link org.tessera.stats.core.StatsRecorder} that writes them as
 * the farm runs, and the {@link org.tessera.stats.core.StatsFileType} service that plugs a kind into
 * {@code tessera stats show|export}. The byte layout is documented in {@code docs/stats-format.md}.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tessera.stats.core;
