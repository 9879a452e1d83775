// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

/**
 * One wake-on-LAN command sent to a node ({@code _Client_WOLInfo}); unset entries have dateTime 0.
 *
 * @param success the node came online
 * @param bootTime seconds from the command to the node being online (UInt8)
 * @param dateTime when the command was sent, seconds since 1970
 */
public record WolInfo(boolean success, int bootTime, long dateTime) {
    public static final WolInfo NONE = new WolInfo(false, 0, 0);

    public boolean isSet() {
        return dateTime != 0;
    }
}
