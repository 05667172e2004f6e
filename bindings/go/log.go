// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

/*
#include <stdint.h>
#include <nfd/nfd.h>
void nfd_go_set_log_fn(struct nfd_ctx *ctx, uintptr_t handle);
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
)

// LogFunc receives the library's messages: a syslog priority (3 error,
// 4 warning, 6 info, 7 debug), the formatted message, and where in libnfd
// it comes from.  It runs on the goroutine making the call.
type LogFunc func(priority int, msg, file string, line int, fn string)

//export goNfdLog
func goNfdLog(handle C.uintptr_t, priority C.int, file *C.char, line C.int, fn *C.char, msg *C.char) {
	f := cgo.Handle(handle).Value().(LogFunc)
	f(int(priority), C.GoString(msg), C.GoString(file), int(line), C.GoString(fn))
}

// SetLogFunc sends the context's messages up to LogPriority to f; nil
// discards them all (the default writes "libnfd: <message>" to stderr).
// Close unregisters f: objects that outlive the Context log nothing more.
func (ctx *Context) SetLogFunc(f LogFunc) {
	defer runtime.KeepAlive(ctx)
	var h cgo.Handle
	if f != nil {
		h = cgo.NewHandle(f)
	}
	C.nfd_go_set_log_fn(ctx.ptr(), C.uintptr_t(h))
	if ctx.logHandle != 0 {
		ctx.logHandle.Delete()
	}
	ctx.logHandle = h
}
