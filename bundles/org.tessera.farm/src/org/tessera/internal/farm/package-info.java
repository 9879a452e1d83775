// SPDX-License-Identifier: EPL-2.0
/**
 * {@code tessera serve --config farm.json}: a farm from one OSGi Configurator JSON file, read with Felix's
 * {@code cm.json} reader, applied to Configuration Admin and re-applied when the file changes.
 */
package org.tessera.internal.farm;
