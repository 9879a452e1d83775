// SPDX-License-Identifier: EPL-2.0
/**
 * UI tests under X (Xvfb): the views created in-process through e4 dependency injection and driven
 * through their SWT widgets on one Display, and the workbench product started as a process.
 */
package org.tessera.workbench.tests;
