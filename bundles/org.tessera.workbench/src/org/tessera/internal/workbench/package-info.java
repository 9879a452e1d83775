// SPDX-License-Identifier: EPL-2.0
/** The Tessera e4 application: handlers and parts of the base application model. */
package org.tessera.internal.workbench;
