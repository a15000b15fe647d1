//go:build !cgo

// Package enable turns the pre-runtime stage on in the binary that
// imports it; a build without cgo has no stage.
package enable
