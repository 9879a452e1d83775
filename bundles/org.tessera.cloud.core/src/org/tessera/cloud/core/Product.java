// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.util.List;

/**
 * One entry of {@code GET /products}: a product code at one version, with the plugins
 * ({@code code:version}) that work with it.
 *
 * @param appType product code, e.g. {@code hou} or {@code povray}
 * @param version product version
 * @param compatibleModules plugins usable with this version, as {@code code:version}
 * @param id service id of this entry
 * @param name display name
 * @param isPlugin whether this entry is itself a plugin
 */
public record Product(String appType, String version, List<String> compatibleModules, String id, String name,
        boolean isPlugin) {
    public Product {
        compatibleModules = List.copyOf(compatibleModules);
    }

    /** {@code code:version}, the form queries use. */
    public String key() {
        return appType + ":" + version;
    }
}
