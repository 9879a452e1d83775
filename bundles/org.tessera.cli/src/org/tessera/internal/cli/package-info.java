// SPDX-License-Identifier: EPL-2.0
/** The headless {@code tessera} application: verb dispatch and the built-in verbs. */
package org.tessera.internal.cli;
