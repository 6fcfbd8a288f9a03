package io.lightningdb.jmh.kv;

import java.util.Map;

/**
 * An engine whose store is a {@link java.util.Map} of byte arrays (MVStore's MVMap, MapDB's
 * BTreeMap): puts and gets go straight to it; subclasses scan, flush and close in their own API.
 */
abstract class MapStore implements KvStore {
    private final Map<byte[], byte[]> map;

    MapStore(Map<byte[], byte[]> map) {
        this.map = map;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        map.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }
}
