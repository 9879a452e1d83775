// SPDX-License-Identifier: EPL-2.0
/** The example plugin's workbench view, contributed by an e4 model fragment. */
package org.tessera.examples.checker.ui;
