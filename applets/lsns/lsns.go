// Package lsns is a placeholder until the applet lands.
package lsns

import "fmt"

// Main is not implemented yet.
func Main(argv []string) int {
	fmt.Println("lsns: not implemented yet")
	return 1
}
