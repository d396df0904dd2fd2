package journey_test

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes the kernel kill the server when the test process dies
// (a test timeout, a killed run), so that no sankofa outlives its test.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
