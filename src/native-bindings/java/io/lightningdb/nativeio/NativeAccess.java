package io.lightningdb.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/** Shared linker plumbing for the bindings: symbol lookup, downcalls, errno capture. */
final class NativeAccess {
    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET =
            CAPTURE_LAYOUT.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** One errno capture buffer per thread: allocating one per call would cost more than the call. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    static final boolean IS_LINUX =
            System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");

    private NativeAccess() {}

    static MemorySegment captureState() {
        return CAPTURE.get();
    }

    static int errno(MemorySegment capture) {
        return capture.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    /** A downcall that records errno, from the given lookup; throws if the symbol is absent. */
    static MethodHandle downcallErrno(SymbolLookup lookup, String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(find(lookup, name), fd, options);
    }

    /** A downcall that does not record errno (functions returning -errno or an error number). */
    static MethodHandle downcall(SymbolLookup lookup, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(lookup, name), fd);
    }

    static MemorySegment find(SymbolLookup lookup, String name) {
        Optional<MemorySegment> symbol = lookup.find(name);
        return symbol.orElseThrow(() -> new UnsatisfiedLinkError("symbol " + name + " not found"));
    }

    /**
     * Loads a shared library by soname through dlopen's search path, or returns null when it is
     * absent. A failure to load is a normal outcome (the library is optional), not an error.
     */
    static SymbolLookup loadLibrary(String soname) {
        if (!IS_LINUX) {
            return null;
        }
        try {
            return SymbolLookup.libraryLookup(soname, Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return null;
        }
    }

    /** Whether the test hook {@code -Dlightning.native.disable=liburing,libnuma} hides a library. */
    static boolean disabledByProperty(String library) {
        String disabled = System.getProperty("lightning.native.disable", "");
        for (String s : disabled.split(",")) {
            if (s.trim().equalsIgnoreCase(library)) {
                return true;
            }
        }
        return false;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected exception from a downcall", t);
    }
}
