// SPDX-License-Identifier: LGPL-2.1-or-later

// Package nfd binds libnfd, node feature discovery and container-image
// compatibility checks, through cgo (#cgo pkg-config: libnfd).
//
// The package is a thin layer over the C API: it owns no logic beyond
// marshalling.  Features, specs and reports are immutable once made and may
// be shared between goroutines.  Every package-level function and method
// uses a C context of its own for the call, so Evaluate may run from many
// goroutines at once; a *Context, for callers who need one (a host root, a
// CPUID dump), must not be used by two goroutines at the same time.
//
// Objects hold C references: call Close when done, or leave it to the
// garbage collector (a finalizer releases them too).
//
//	spec, err := nfd.ParseSpecFile("compat.yaml")
//	features, err := nfd.Discover("/", nil)
//	report, err := spec.Evaluate(features)
//	fmt.Println(report.Compatible())
package nfd

/*
#cgo pkg-config: libnfd
#include <stdlib.h>
#include <nfd/nfd.h>
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"syscall"
	"unsafe"
)

// Error is a failed libnfd call: the errno it returned (negated) and the
// context's message (nfd_ctx_last_error).  errors.Is(err, syscall.ENOENT)
// and errors.Is(err, fs.ErrNotExist) work through Unwrap.
type Error struct {
	Errno syscall.Errno
	Msg   string
}

// Error returns the library's message, or the errno's text when it gave none.
func (e *Error) Error() string {
	if e.Msg == "" {
		return "libnfd: " + e.Errno.Error()
	}
	return "libnfd: " + e.Msg
}

// Unwrap returns the Errno, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Errno }

// check turns a negative return value into an *Error carrying ctx's message.
func check(r C.int, ctx *C.struct_nfd_ctx) error {
	if r >= 0 {
		return nil
	}
	e := &Error{Errno: syscall.Errno(-r)}
	if ctx != nil {
		e.Msg = C.GoString(C.nfd_ctx_last_error(ctx))
	}
	return e
}

// Version returns the loaded library's version string.
func Version() string { return C.GoString(C.nfd_version()) }

// SourceNames returns the discovery sources in the order they run.
func SourceNames() []string {
	var out []string
	// a NULL-terminated array of static strings: walk it to its end
	for p := C.nfd_source_names(); *p != nil; p = (**C.char)(unsafe.Add(unsafe.Pointer(p), unsafe.Sizeof(*p))) {
		out = append(out, C.GoString(*p))
	}
	return out
}

// cArray converts a Go string list to a NULL-terminated C array in C memory;
// a nil list stays NULL.  Call the returned function to free it.
func cArray(items []string) (**C.char, func()) {
	if items == nil {
		return nil, func() {}
	}
	n := len(items) + 1
	mem := (**C.char)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	arr := unsafe.Slice(mem, n)
	for i, s := range items {
		arr[i] = C.CString(s)
	}
	return mem, func() {
		for _, p := range arr {
			C.free(unsafe.Pointer(p))
		}
		C.free(unsafe.Pointer(mem))
	}
}

// noNUL refuses strings with an embedded NUL, which a C string would cut
// short ("/tmp\x00/x" would name "/tmp"), as the syscall package does.
func noNUL(ss ...string) error {
	for _, s := range ss {
		for i := 0; i < len(s); i++ {
			if s[i] == 0 {
				return &Error{Errno: syscall.EINVAL, Msg: "libnfd: string with an embedded NUL byte"}
			}
		}
	}
	return nil
}

// cstr returns a C copy of s (NULL for "" when nullEmpty) and its freer.
func cstr(s string, nullEmpty bool) (*C.char, func()) {
	if nullEmpty && s == "" {
		return nil, func() {}
	}
	p := C.CString(s)
	return p, func() { C.free(unsafe.Pointer(p)) }
}

// cbytes returns a C copy of data (NULL when empty) and its freer.
func cbytes(data []byte) (*C.char, func()) {
	if len(data) == 0 {
		return nil, func() {}
	}
	p := (*C.char)(C.CBytes(data))
	return p, func() { C.free(unsafe.Pointer(p)) }
}

// goStringFree copies a malloc'ed C string of n bytes and frees it.
func goStringFree(p *C.char, n C.int) string {
	defer C.free(unsafe.Pointer(p))
	return C.GoStringN(p, n)
}

// Path names a host area discovery reads from (enum nfd_path).
type Path int

// Host areas.
const (
	PathSys  Path = C.NFD_PATH_SYS
	PathProc Path = C.NFD_PATH_PROC
	PathEtc  Path = C.NFD_PATH_ETC
	PathBoot Path = C.NFD_PATH_BOOT
	PathLib  Path = C.NFD_PATH_LIB
	PathUsr  Path = C.NFD_PATH_USR
	PathVar  Path = C.NFD_PATH_VAR
)

// Context is a libnfd context: where the host is, the log priority and the
// last error.  It belongs to one goroutine at a time.  Objects made with it
// keep it alive in C, so it may be closed before them.
type Context struct {
	c         *C.struct_nfd_ctx
	logHandle cgo.Handle
}

func newCtx() (*C.struct_nfd_ctx, error) {
	c, errno := C.nfd_ctx_new()
	if c == nil {
		if errno == nil {
			errno = syscall.ENOMEM
		}
		return nil, &Error{Errno: errno.(syscall.Errno), Msg: "cannot create a libnfd context"}
	}
	return c, nil
}

// withCtx runs fn with a fresh C context, dropped afterwards (objects made
// in fn hold their own references to it).
func withCtx(fn func(c *C.struct_nfd_ctx) error) error {
	c, err := newCtx()
	if err != nil {
		return err
	}
	defer C.nfd_ctx_unref(c)
	return fn(c)
}

// NewContext creates a context with root "/" and the default log settings.
func NewContext() (*Context, error) {
	c, err := newCtx()
	if err != nil {
		return nil, err
	}
	ctx := &Context{c: c}
	runtime.SetFinalizer(ctx, (*Context).Close)
	return ctx, nil
}

// Close drops the context's reference; calling it twice is harmless.
func (ctx *Context) Close() {
	if ctx.c != nil {
		if ctx.logHandle != 0 {
			ctx.SetLogFunc(nil)
		}
		C.nfd_ctx_unref(ctx.c)
		ctx.c = nil
	}
	runtime.SetFinalizer(ctx, nil)
}

func (ctx *Context) ptr() *C.struct_nfd_ctx {
	if ctx.c == nil {
		panic("nfd: use of a closed Context")
	}
	return ctx.c
}

// SetRoot points every area at root (sys at root/sys, ...).
func (ctx *Context) SetRoot(root string) error {
	if err := noNUL(root); err != nil {
		return err
	}
	p, free := cstr(root, false)
	defer free()
	defer runtime.KeepAlive(ctx)
	return check(C.nfd_ctx_set_root(ctx.ptr(), p), ctx.c)
}

// Root returns the host root ("/" by default).
func (ctx *Context) Root() string {
	defer runtime.KeepAlive(ctx)
	return C.GoString(C.nfd_ctx_get_root(ctx.ptr()))
}

// WorkBudgetUnlimited is a work budget that never runs out.
const WorkBudgetUnlimited = ^uint64(0)

// SetWorkBudget bounds the work of each evaluation made with ctx (see
// Context.Evaluate): units spent on expressions, regexes, template steps and
// merging vars (doc/limits.md).  0 restores the default (40,000,000);
// WorkBudgetUnlimited lifts the bound.  A spent budget is an error whose
// Errno is ETIME.
func (ctx *Context) SetWorkBudget(units uint64) error {
	defer runtime.KeepAlive(ctx)
	return check(C.nfd_ctx_set_work_budget(ctx.ptr(), C.uint64_t(units)), ctx.c)
}

// WorkBudget returns the work budget of one evaluation made with ctx.
func (ctx *Context) WorkBudget() uint64 {
	defer runtime.KeepAlive(ctx)
	return uint64(C.nfd_ctx_get_work_budget(ctx.ptr()))
}

// SetHostPrefix selects NFD's container layout: each area at prefix+name.
func (ctx *Context) SetHostPrefix(prefix string) error {
	if err := noNUL(prefix); err != nil {
		return err
	}
	p, free := cstr(prefix, false)
	defer free()
	defer runtime.KeepAlive(ctx)
	return check(C.nfd_ctx_set_host_prefix(ctx.ptr(), p), ctx.c)
}

// SetPath overrides the directory of one area.
func (ctx *Context) SetPath(which Path, path string) error {
	if err := noNUL(path); err != nil {
		return err
	}
	p, free := cstr(path, false)
	defer free()
	defer runtime.KeepAlive(ctx)
	return check(C.nfd_ctx_set_path(ctx.ptr(), C.enum_nfd_path(which), p), ctx.c)
}

// Path returns the directory used for one area ("" for a bad argument).
func (ctx *Context) Path(which Path) string {
	defer runtime.KeepAlive(ctx)
	return C.GoString(C.nfd_ctx_get_path(ctx.ptr(), C.enum_nfd_path(which)))
}

// SetCPUIDDump replays CPUID from a dump file; "" executes CPUID on this CPU.
func (ctx *Context) SetCPUIDDump(path string) error {
	if err := noNUL(path); err != nil {
		return err
	}
	p, free := cstr(path, true)
	defer free()
	defer runtime.KeepAlive(ctx)
	return check(C.nfd_ctx_set_cpuid_dump(ctx.ptr(), p), ctx.c)
}

// SetLogPriority sets the highest syslog priority logged to stderr.
func (ctx *Context) SetLogPriority(priority int) {
	defer runtime.KeepAlive(ctx)
	C.nfd_ctx_set_log_priority(ctx.ptr(), C.int(priority))
}

// LogPriority returns the highest syslog priority logged.
func (ctx *Context) LogPriority() int {
	defer runtime.KeepAlive(ctx)
	return int(C.nfd_ctx_get_log_priority(ctx.ptr()))
}
