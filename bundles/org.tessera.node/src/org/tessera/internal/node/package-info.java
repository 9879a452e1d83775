// SPDX-License-Identifier: EPL-2.0
/** Implementation of the node server: claims, licences, scene cache, routes, the node verb and the cluster benchmark. Not API. */
package org.tessera.internal.node;
