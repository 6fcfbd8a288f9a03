/**
 * Lightning DB's public face: {@link io.lightningdb.Database} (open, get, put, delete, multiGet,
 * atomic {@link io.lightningdb.WriteBatch}es, {@link io.lightningdb.Cursor} scans, stats),
 * {@link io.lightningdb.LightningDbConfig} (every tuning knob, validated at build), and
 * {@link io.lightningdb.Capabilities}, the report of which native features are in use.
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="open"}
 */
package io.lightningdb;
