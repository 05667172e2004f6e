// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startFakeRegistry runs the project's tests/oci/fake-registry.py on
// 127.0.0.1 and returns its host:port; the server is killed at the end.
func startFakeRegistry(t *testing.T) string {
	top := os.Getenv("NFD_TOP_SRCDIR")
	if top == "" {
		top = filepath.Join("..", "..")
	}
	fake := filepath.Join(top, "tests", "oci", "fake-registry.py")
	layout := filepath.Join(top, "examples", "oci-layout")
	if !fileExists(fake) || !fileExists(filepath.Join(layout, "index.json")) {
		skipOrFail(t, "tests/oci/fake-registry.py or examples/oci-layout missing")
	}
	if !HasRegistry() {
		skipOrFail(t, "libnfd built without the registry client")
	}
	for _, v := range []string{"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"} {
		if old, ok := os.LookupEnv(v); ok {
			os.Unsetenv(v)
			t.Cleanup(func() { os.Setenv(v, old) })
		}
	}
	portfile := filepath.Join(t.TempDir(), "port")
	cmd := exec.Command("/usr/bin/python3", fake, layout, portfile, "120")
	if err := cmd.Start(); err != nil {
		skipOrFail(t, "cannot run the fake registry: ", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	var port []byte
	for i := 0; i < 100 && len(bytes.TrimSpace(port)) == 0; i++ {
		time.Sleep(100 * time.Millisecond)
		port, _ = os.ReadFile(portfile)
	}
	addr := "127.0.0.1:" + strings.TrimSpace(string(port))
	client := http.Client{Timeout: time.Second}
	for i := 0; i < 100; i++ {
		if resp, err := client.Get("http://" + addr + "/v2/"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return addr
}

// Every field of OCIOptions reaches the library.
func TestRegistryOptions(t *testing.T) {
	addr := startFakeRegistry(t)
	opts := func(mod func(o *OCIOptions)) *OCIOptions {
		o := &OCIOptions{PlainHTTP: true, Platform: "linux/amd64", TimeoutMs: 5000}
		if mod != nil {
			mod(o)
		}
		return o
	}
	ref := func(mode string) string { return addr + "/" + mode + "/app:v1" }

	if b, err := FetchSpecData(ref("ok"), opts(nil)); err != nil || !bytes.HasPrefix(b, []byte("# artifact: newest")) {
		t.Errorf("ok: %v %q", err, b)
	}
	b, err := FetchSpecData(ref("ok"), opts(func(o *OCIOptions) { o.Platform = "linux/arm64" }))
	if err != nil || !bytes.HasPrefix(b, []byte("# artifact: arm64")) {
		t.Errorf("ok arm64: %v %q", err, b)
	}
	if _, err := FetchSpecData(ref("ok"), opts(func(o *OCIOptions) { o.PlainHTTP = false })); err == nil {
		t.Error("TLS to a plain HTTP server succeeded")
	}
	if s, err := FetchSpec(ref("ok"), opts(nil)); err != nil || s.Version() != "v1alpha1" {
		t.Errorf("FetchSpec: %v", err)
	}
	if _, err := FetchSpecData(ref("missing"), opts(nil)); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("missing: %v", err)
	}
	if _, err := FetchSpecData(ref("e401"), opts(nil)); !errors.Is(err, syscall.EACCES) {
		t.Errorf("e401: %v", err)
	}
	creds := func(pw string) *OCIOptions {
		return opts(func(o *OCIOptions) { o.Username, o.Password = "nfduser", pw })
	}
	if _, err := FetchSpecData(ref("xorigin"), creds("nfd-secret")); err != nil {
		t.Errorf("xorigin with credentials: %v", err)
	}
	if _, err := FetchSpecData(ref("xorigin"), creds("wrong")); !errors.Is(err, syscall.EACCES) {
		t.Errorf("xorigin, wrong password: %v", err)
	}
	auth := filepath.Join(t.TempDir(), "auth.json")
	cred := base64.StdEncoding.EncodeToString([]byte("nfduser:nfd-secret"))
	if err := os.WriteFile(auth, []byte(`{"auths": {"`+addr+`": {"auth": "`+cred+`"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := FetchSpecData(ref("xorigin"), opts(func(o *OCIOptions) { o.AuthFile = auth })); err != nil {
		t.Errorf("xorigin with an auth file: %v", err)
	}
	start := time.Now()
	_, err = FetchSpecData(ref("stall"), opts(func(o *OCIOptions) { o.TimeoutMs = 500 }))
	if !errors.Is(err, syscall.ETIMEDOUT) || time.Since(start) > 5*time.Second {
		t.Errorf("stall: %v after %v", err, time.Since(start))
	}
}
