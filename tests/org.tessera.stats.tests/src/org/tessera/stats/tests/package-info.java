// SPDX-License-Identifier: EPL-2.0
/** Tests of the stats bundle: round trips, index rules, corrupt input, recorder, CLI. */
package org.tessera.stats.tests;
