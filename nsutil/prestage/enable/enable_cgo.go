//go:build cgo

// Package enable turns the pre-runtime stage on in the binary that
// imports it: nsbox's main. Every binary that links nsutil also links the
// stage's constructor (the unit and integration test binaries do), but
// only nsbox may hold signals blocked at start, keep an fd of itself, or
// run a plan; without this package the constructor does nothing.
package enable

// int nsbox_stage_enabled = 1;
import "C"
