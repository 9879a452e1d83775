// SPDX-License-Identifier: EPL-2.0
/**
 * What the area UI bundles share with the workbench: preference keys and defaults
 * ({@link org.tessera.workbench.TesseraPreferences}), the node token in secure storage
 * ({@link org.tessera.workbench.NodeTokenStore}), the part stacks of the Render Farm perspective
 * ({@link org.tessera.workbench.PartStacks}) and background work with a UI-thread result
 * ({@link org.tessera.workbench.BackgroundWork}).
 */
package org.tessera.workbench;
