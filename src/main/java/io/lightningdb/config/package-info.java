/**
 * Configuration files and presets: {@link io.lightningdb.LightningDbConfig} as JSON (read with
 * every field checked, written with every field explicit) and the production guide's presets as
 * builders. Sits beside the API package (it builds its configs); the engine never imports it.
 *
 * <pre>{@code
 * LightningDbConfig c = ConfigFiles.read(Path.of("lightning.json"));   // {"preset": "oltp", ...}
 * try (Database db = Database.open(dir, c)) { ... }
 * }</pre>
 */
package io.lightningdb.config;
