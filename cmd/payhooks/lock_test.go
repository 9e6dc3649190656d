package main

import (
	"os"
	"syscall"
)

// lockForTest holds the lock a capture writer holds on its temporary file.
func lockForTest(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
