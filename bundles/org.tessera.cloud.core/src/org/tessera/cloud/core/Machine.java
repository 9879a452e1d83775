// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

/**
 * A machine type jobs can ask for ({@code machine_type}); on a Tessera farm, a node group.
 *
 * @param id the value for {@link Job#setMachineType}
 * @param name display name
 * @param gpu whether the machines have GPUs
 * @param isDefault whether the service picks it when a job names none
 */
public record Machine(String id, String name, boolean gpu, boolean isDefault) {
}
