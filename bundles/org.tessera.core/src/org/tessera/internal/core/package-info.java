// SPDX-License-Identifier: EPL-2.0
/** Implementation of the core services; not API. */
package org.tessera.internal.core;
