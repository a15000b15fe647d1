// Package ip is a placeholder until the applet lands.
package ip

import "fmt"

// Main is not implemented yet.
func Main(argv []string) int {
	fmt.Println("ip: not implemented yet")
	return 1
}
