package io.lightningdb.nativeio;

import java.nio.file.Path;

/** A read reached the end of the file before the requested length was read. */
public final class EndOfFileException extends IOCallException {
    private static final long serialVersionUID = 1L;

    public EndOfFileException(String call, Path file, long offset, long length, long bytesRead, long fileSize) {
        super(call, 0, file, offset, length,
                "end of file after " + bytesRead + " bytes; file size is " + fileSize);
    }
}
