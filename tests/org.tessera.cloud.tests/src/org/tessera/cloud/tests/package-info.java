// SPDX-License-Identifier: EPL-2.0
/** Tests of the Envoy client and the Envoy gateway: model rules, and the client against a real gateway process. */
package org.tessera.cloud.tests;
